/**
 * Docker Hub JWT lifecycle: minted from a username + password/PAT (or an organization name + org access
 * token) with `POST /v2/auth/token`; cached; refreshed 60 s before `exp`; concurrent callers share one
 * in-flight mint; re-minted once when the API answers 401. A pre-minted JWT (`DOCKERHUB_JWT`) is used as is.
 */
import type { Credential, CredentialResolver } from '../core/credentials.js';
import { AuthenticationError, ValidationError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import type { HttpTransport } from '../core/transport.js';
import type { HubSchemas } from './spec-types.js';

export const REFRESH_MARGIN_MS = 60_000;

export interface HubClaims {
  sub?: string;
  exp?: number;
  iat?: number;
  iss?: string;
  /** Docker Hub nests its own claims under this key. */
  'https://hub.docker.com'?: {
    username?: string;
    email?: string;
    uuid?: string;
    roles?: string[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** Decodes a JWT's claims locally (no verification: we only read what the server gave us). */
export function decodeJwt(token: string): HubClaims {
  const part = token.split('.')[1];
  if (!part) throw new ValidationError('not a JWT');
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as HubClaims;
  } catch {
    throw new ValidationError('not a JWT: unreadable claims');
  }
}

interface Cached {
  token: Secret;
  expiresAt: number;
}

export class HubAuth {
  #cached: Cached | undefined;
  #inflight: Promise<Cached> | undefined;
  /** Mints performed, for diagnostics and tests. */
  mints = 0;

  constructor(
    private readonly transport: HttpTransport,
    private readonly credentials: CredentialResolver,
    private readonly baseUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A bearer token, or undefined when anonymous. */
  async token(signal?: AbortSignal): Promise<string | undefined> {
    const credential = await this.credentials.forHub();
    if (credential.kind === 'anonymous') return undefined;
    if (credential.kind === 'jwt') return credential.token.reveal();
    if (this.#cached && this.#cached.expiresAt - REFRESH_MARGIN_MS > this.now())
      return this.#cached.token.reveal();
    this.#inflight ??= instrument(
      'docker.auth.login',
      { account: credential.kind === 'basic' ? credential.username : undefined },
      () => this.#mint(credential, signal),
    ).finally(() => {
      this.#inflight = undefined;
    });
    this.#cached = await this.#inflight;
    return this.#cached.token.reveal();
  }

  /** Forgets a token the API refused, so the next call mints a fresh one. Returns whether one was minted. */
  invalidate(token: string): boolean {
    if (this.#cached?.token.reveal() === token) {
      this.#cached = undefined;
      return true;
    }
    return false;
  }

  async #mint(credential: Credential, signal?: AbortSignal): Promise<Cached> {
    if (credential.kind !== 'basic')
      throw new AuthenticationError('an identity token cannot be exchanged for a Hub JWT');
    this.mints++;
    const res = await this.transport
      .request({
        method: 'POST',
        url: `${this.baseUrl}/v2/auth/token`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: credential.username, secret: credential.secret.reveal() }),
        idempotent: true,
        signal,
      })
      .catch((err: unknown) => {
        if ((err as { status?: number }).status === 401) {
          throw new AuthenticationError(
            `Docker Hub refused the credentials of ${credential.username} (from ${credential.source})`,
            {
              status: 401,
            },
          );
        }
        throw err;
      });
    const body = (await res.body.json()) as HubSchemas['AuthCreateTokenResponse'];
    if (!body.access_token) throw new AuthenticationError('Docker Hub answered without an access token');
    const claims = decodeJwt(body.access_token);
    // Docker documents a 10-minute lifetime; trust `exp` when present.
    const expiresAt = claims.exp ? claims.exp * 1000 : this.now() + 10 * 60_000;
    return { token: new Secret(body.access_token), expiresAt };
  }
}
