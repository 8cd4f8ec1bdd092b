/** Digest validation, with the image-spec's strict rules (registered algorithms, lowercase hex). */
import { InvalidReferenceError } from '../core/errors.js';

const DIGEST_RULES: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

export function isValidDigest(d: string): boolean {
  const i = d.indexOf(':');
  if (i < 0) return false;
  const rule = DIGEST_RULES[d.slice(0, i)];
  return rule?.test(d.slice(i + 1)) ?? false;
}

/** Returns the digest when valid, else throws InvalidReferenceError saying what is wrong. */
export function assertDigest(d: string): string {
  if (isValidDigest(d)) return d;
  const i = d.indexOf(':');
  const alg = i < 0 ? '' : d.slice(0, i);
  const why =
    i < 0
      ? 'expected algorithm:hex, e.g. sha256:<64 hex>'
      : !(alg in DIGEST_RULES)
        ? `unsupported algorithm "${alg}" (sha256 or sha512)`
        : `${alg} needs ${alg === 'sha256' ? 64 : 128} lowercase hex characters`;
  throw new InvalidReferenceError(`invalid digest "${printable(d)}": ${why}`);
}

export function digestAlgorithm(d: string): 'sha256' | 'sha512' {
  return assertDigest(d).startsWith('sha512:') ? 'sha512' : 'sha256';
}

/** True for C0 control characters and DEL. */
export function isControlChar(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** Input echoed in messages: control characters made visible, length capped. */
export function printable(s: string): string {
  let shown = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    shown += isControlChar(code) ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
