/**
 * Token auth as distribution's `auth: token` does it (registry-auth token.md, jwt.md, scope.md): Bearer
 * JWTs signed ES256 or RS256 by a key whose certificate (`x5c` leaf) is one of `rootCertBundle` or chains
 * up to one; `iss` must be the issuer, `aud` the service, the time within nbf..exp; `access` entries grant
 * actions per repository. Verified tokens are cached until they expire.
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { RegistryTokenAuth } from '../registry-types.js';
import type { Access } from '../token-service.js';

export type Action = 'pull' | 'push' | 'delete' | '*';

export interface TokenClaims {
  /** `sub`; empty for anonymous tokens. */
  subject: string;
  access: Access[];
}

/** Why a presented token was refused (never the token itself). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

const ALGORITHMS = ['ES256', 'RS256'];
/** distribution allows this much clock skew on exp and nbf. */
const LEEWAY_SECONDS = 60;
const CACHE_LIMIT = 1000;
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function parseCertBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_CERT) ?? []).map((block) => new X509Certificate(block));
}

function currentlyValid(cert: X509Certificate, now: number): boolean {
  return Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

export class TokenAuthority {
  readonly #roots: X509Certificate[];
  readonly #keys = new Map<string, KeyObject>();
  readonly #tokens = new Map<string, { claims: TokenClaims; expiresAt: number }>();

  constructor(readonly config: RegistryTokenAuth) {
    this.#roots = parseCertBundle(config.rootCertBundle);
    if (this.#roots.length === 0) throw new Error('registry auth: rootCertBundle holds no PEM certificate');
  }

  /** The claims of a valid `Authorization: Bearer` token; undefined when none was sent. */
  async verify(authorization: string | undefined): Promise<TokenClaims | undefined> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) {
      if (authorization) throw new InvalidTokenError('not a Bearer token');
      return undefined;
    }
    const token = m[1]!;
    const cached = this.#tokens.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.claims;

    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new InvalidTokenError('malformed token');
    }
    if (!ALGORITHMS.includes(header.alg ?? '')) throw new InvalidTokenError(`unsupported alg ${header.alg}`);
    const key = this.#trustedKey(header.x5c);
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, key, {
        issuer: this.config.issuer,
        audience: this.config.service,
        algorithms: ALGORITHMS,
        clockTolerance: LEEWAY_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw new InvalidTokenError((err as Error).message);
    }
    const claims: TokenClaims = { subject: payload.sub ?? '', access: accessEntries(payload.access) };
    if (this.#tokens.size >= CACHE_LIMIT) this.#tokens.clear();
    this.#tokens.set(token, { claims, expiresAt: ((payload.exp ?? 0) + LEEWAY_SECONDS) * 1000 });
    return claims;
  }

  /** The leaf's public key, once the `x5c` chain is trusted: a certificate equals or is signed by a root. */
  #trustedKey(x5c: unknown): KeyObject {
    if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string')) {
      throw new InvalidTokenError('token has no x5c certificate chain');
    }
    const id = x5c.join('.');
    const known = this.#keys.get(id);
    if (known) return known;
    let chain: X509Certificate[];
    try {
      chain = x5c.map((c: string) => new X509Certificate(Buffer.from(c, 'base64')));
    } catch {
      throw new InvalidTokenError('malformed x5c certificate');
    }
    const now = Date.now();
    for (let i = 0; i < chain.length; i++) {
      const cert = chain[i]!;
      if (!currentlyValid(cert, now)) throw new InvalidTokenError('x5c certificate outside its validity');
      const trusted = this.#roots.some(
        (root) => root.raw.equals(cert.raw) || (currentlyValid(root, now) && issuedBy(cert, root)),
      );
      if (trusted) {
        const key = chain[0]!.publicKey;
        this.#keys.set(id, key);
        return key;
      }
      const next = chain[i + 1];
      if (!next || !issuedBy(cert, next)) break;
    }
    throw new InvalidTokenError('x5c chain does not lead to a trusted certificate');
  }

  /** `WWW-Authenticate` for a 401: scopes the request needs, and why the token (if any) failed. */
  challenge(scopes: string[], error?: 'invalid_token' | 'insufficient_scope'): string {
    const q = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
    let value = `Bearer realm=${q(this.config.realm)},service=${q(this.config.service)}`;
    if (scopes.length > 0) value += `,scope=${q(scopes.join(' '))}`;
    if (error) value += `,error=${q(error)}`;
    return value;
  }
}

function accessEntries(value: unknown): Access[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const e = entry as Partial<Access>;
    if (typeof e?.type !== 'string' || typeof e.name !== 'string' || !Array.isArray(e.actions)) return [];
    return [{ type: e.type, name: e.name, actions: e.actions.filter((a) => typeof a === 'string') }];
  });
}

/** Whether the claims grant `action` on a resource; a resource class (`repository(plugin)`) is ignored. */
export function grants(claims: TokenClaims, type: string, name: string, action: string): boolean {
  return claims.access.some(
    (e) =>
      e.type.replace(/\(.*\)$/, '') === type &&
      e.name === name &&
      (e.actions.includes(action) || e.actions.includes('*')),
  );
}
