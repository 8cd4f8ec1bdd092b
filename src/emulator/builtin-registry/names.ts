/**
 * Names the built-in registry accepts, per the OCI distribution grammar: repository names (multi-component,
 * lowercase), tags, and digests (sha256 and sha512, lowercase hex).
 */
import { createHash, type Hash } from 'node:crypto';
import { isValidDigest } from '../../reference/digest.js';

const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
/** Clients limit `host/name` to 255 characters; the name alone can never be longer. */
const MAX_NAME_LENGTH = 255;

export type DigestAlgorithm = 'sha256' | 'sha512';

export function isRepositoryName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME.test(name);
}

export function isTag(reference: string): boolean {
  return TAG.test(reference);
}

export function isDigest(reference: string): boolean {
  return isValidDigest(reference);
}

export function algorithmOf(digest: string): DigestAlgorithm {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

export function newHash(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
