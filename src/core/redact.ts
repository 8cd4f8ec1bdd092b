/**
 * Structural redaction of credentials in URLs, headers, free text and objects. Used by errors, logs and
 * (later) cassettes, so that no front end needs to remember to do it.
 */
import { REDACTED, scrubKnownSecrets } from './secret.js';

const SENSITIVE_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-registry-auth|password|passwd|secret|token|access_token|refresh_token|id_token|identitytoken|registrytoken|auth|api_key|apikey|client_secret|jwt|x-hub-signature.*)$/i;
const SENSITIVE_QUERY =
  /^(token|access_token|refresh_token|password|secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|api_key|apikey|key)$/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** Strips user-info and credential-like query parameters from a URL. */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
  }
  for (const key of [...u.searchParams.keys()]) {
    if (SENSITIVE_QUERY.test(key)) u.searchParams.set(key, REDACTED);
  }
  return scrubKnownSecrets(u.toString());
}

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
const PAT = /\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{8,})/g;
const KV = /("?(?:password|secret|token|access_token|refresh_token)"?\s*[:=]\s*"?)([^"\s,&}]+)/gi;

/** Scrubs tokens, Authorization values, Docker PATs and known secrets out of free text. */
export function redactText(text: string): string {
  return scrubKnownSecrets(text)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(PAT, REDACTED)
    .replace(KV, (_m, prefix: string) => `${prefix}${REDACTED}`);
}

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    out[k] = isSensitiveKey(k)
      ? REDACTED
      : k.toLowerCase() === 'location'
        ? redactUrl(value)
        : redactText(value);
  }
  return out;
}

/** Deep copy of `value` with sensitive keys replaced and strings scrubbed. Cycles are cut. */
export function redactValue(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redactValue(v, seen);
  }
  return out;
}
