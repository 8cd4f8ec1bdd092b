/**
 * Digest verification while bytes stream past: nothing downloaded is handed on (or renamed into
 * place) unless its digest matches.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, UnsupportedError } from '../core/errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

export function algorithmOf(digest: string): DigestAlgorithm {
  const alg = digest.slice(0, digest.indexOf(':'));
  if (alg === 'sha256' || alg === 'sha512') return alg;
  throw new UnsupportedError(`unsupported digest algorithm "${alg}" (sha256 and sha512 are supported)`);
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws DigestMismatchError unless `bytes` hash to `expected`. Returns the digest. */
export function verifyBytes(bytes: Uint8Array, expected: string, what = 'content'): string {
  const actual = digestOf(bytes, algorithmOf(expected));
  if (actual !== expected) throw new DigestMismatchError(expected, actual, what);
  return actual;
}

/**
 * A pass-through stream that hashes what flows through it and fails at the end (before signalling
 * completion) when the digest or size is wrong. `hash` may be pre-seeded with bytes already on disk,
 * for a resumed download.
 */
export class DigestVerifier extends Transform {
  readonly #expected: string;
  readonly #hash: Hash;
  readonly #expectedSize: number | undefined;
  #bytes: number;
  readonly #what: string;

  constructor(expected: string, opts: { size?: number; hash?: Hash; offset?: number; what?: string } = {}) {
    super();
    this.#expected = expected;
    this.#hash = opts.hash ?? createHash(algorithmOf(expected));
    this.#expectedSize = opts.size;
    this.#bytes = opts.offset ?? 0;
    this.#what = opts.what ?? `blob ${expected}`;
  }

  get bytes(): number {
    return this.#bytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#bytes += chunk.length;
    if (this.#expectedSize !== undefined && this.#bytes > this.#expectedSize) {
      cb(new DigestMismatchError(this.#expected, `more than ${this.#expectedSize} bytes`, this.#what));
      return;
    }
    this.#hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    const actual = `${algorithmOf(this.#expected)}:${this.#hash.digest('hex')}`;
    if (this.#expectedSize !== undefined && this.#bytes !== this.#expectedSize) {
      cb(
        new DigestMismatchError(
          this.#expected,
          `${actual} (${this.#bytes} of ${this.#expectedSize} bytes)`,
          this.#what,
        ),
      );
      return;
    }
    if (actual !== this.#expected) {
      cb(new DigestMismatchError(this.#expected, actual, this.#what));
      return;
    }
    cb();
  }
}
