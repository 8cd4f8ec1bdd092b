import { inspect } from 'node:util';

const REDACTED = '[REDACTED]';
/** Every secret ever wrapped, so free text (error bodies, logs) can be scrubbed of them too. */
const knownSecrets = new Set<string>();

/**
 * A credential value. Its string, JSON and `util.inspect` forms are all `[REDACTED]`; only `reveal()`
 * gives the value, and only the code that puts it on the wire should call it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    // Very short values would make text redaction mangle ordinary words.
    if (value.length >= 6) knownSecrets.add(value);
  }

  static from(value: string | Secret): Secret {
    return value instanceof Secret ? value : new Secret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Replaces every registered secret value that occurs in `text`. */
export function scrubKnownSecrets(text: string): string {
  let out = text;
  for (const s of knownSecrets) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

export { REDACTED };
