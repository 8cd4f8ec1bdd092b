import { readFile, writeFile } from 'node:fs/promises';
import { replaceFile } from '../core/atomic-file.js';
import { ValidationError } from '../core/errors.js';

export const PERSIST_FORMAT = 'dockerhub-emulator-state';
export const PERSIST_VERSION = 1;

type Encoded = null | boolean | number | string | Encoded[] | { [k: string]: Encoded };

export function encodeValue(value: unknown): Encoded {
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeValue) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value && typeof value === 'object') {
    const out: Record<string, Encoded> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = encodeValue(v);
    return out;
  }
  return value === undefined ? null : (value as Encoded);
}

export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.$map) && Object.keys(o).length === 1)
      return new Map((o.$map as unknown[][]).map(([k, v]) => [decodeValue(k), decodeValue(v)]));
    if (Array.isArray(o.$set) && Object.keys(o).length === 1) return new Set(o.$set.map(decodeValue));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeValue(v)]));
  }
  return value;
}

/** A JSON document holding every own field of `target`. */
export function serialiseFields(target: object): Record<string, unknown> {
  return { format: PERSIST_FORMAT, version: PERSIST_VERSION, state: encodeValue(target) };
}

/**
 * Fills `target` (a fresh state) from a document written by `serialiseFields`: Maps, Sets and arrays are
 * refilled in place (they may be readonly fields), other values assigned. Unknown fields are ignored.
 */
export function deserialiseFields(target: object, doc: unknown): void {
  const d = doc as { format?: unknown; version?: unknown; state?: unknown } | undefined;
  if (d?.format !== PERSIST_FORMAT || typeof d.state !== 'object' || d.state === null)
    throw new ValidationError('not an emulator state file (no "format": "dockerhub-emulator-state")');
  if (d.version !== PERSIST_VERSION)
    throw new ValidationError(`emulator state file version ${String(d.version)} is not supported`);
  fillFields(target, d.state as Record<string, unknown>);
}

/** Refills `target`'s own fields from encoded values; objects of a class (sub-states) are filled in place. */
function fillFields(target: object, encoded: Record<string, unknown>): void {
  const fields = target as Record<string, unknown>;
  for (const [key, raw] of Object.entries(encoded)) {
    if (!Object.hasOwn(fields, key)) continue;
    const current = fields[key];
    const value = decodeValue(raw);
    if (current instanceof Map && value instanceof Map) {
      current.clear();
      for (const [k, v] of value) current.set(k, v);
    } else if (current instanceof Set && value instanceof Set) {
      current.clear();
      for (const v of value) current.add(v);
    } else if (Array.isArray(current) && Array.isArray(value)) {
      current.splice(0, current.length, ...value);
    } else if (isClassInstance(current) && raw && typeof raw === 'object' && !Array.isArray(raw)) {
      fillFields(current, raw as Record<string, unknown>);
    } else if (typeof current !== 'function') {
      fields[key] = value;
    }
  }
}

function isClassInstance(value: unknown): value is object {
  if (!value || typeof value !== 'object' || value instanceof Map || value instanceof Set) return false;
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null && !Array.isArray(value);
}

export async function readStateFile(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ValidationError(`cannot read emulator state ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(`emulator state ${path} is not JSON: ${(err as Error).message}`);
  }
}

/** Writes `snapshot()` to `path` whenever `save()` is called; at most one write at a time. */
export class StateFileWriter {
  readonly #path: string;
  readonly #snapshot: () => unknown;
  #writing: Promise<void> | undefined;
  #again = false;
  #lastError: Error | undefined;

  constructor(path: string, snapshot: () => unknown) {
    this.#path = path;
    this.#snapshot = snapshot;
  }

  /** The last write's error, if it failed (the emulator keeps serving either way). */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  save(): void {
    if (this.#writing) {
      this.#again = true;
      return;
    }
    this.#writing = this.#loop().finally(() => {
      this.#writing = undefined;
    });
  }

  /** Resolves once every requested save is on disk. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      // Taken synchronously, so the file reflects the state at this moment.
      const text = `${JSON.stringify(this.#snapshot(), null, 2)}\n`;
      try {
        await replaceFile(this.#path, (temp) => writeFile(temp, text, { mode: 0o600 }));
        this.#lastError = undefined;
      } catch (err) {
        this.#lastError = err as Error;
      }
    } while (this.#again);
  }
}
