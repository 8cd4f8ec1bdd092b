/**
 * Registry authentication (distribution token spec, ../shared/specs/registry-auth/): answer a
 * `WWW-Authenticate` challenge with a scoped Bearer token from the realm, or Basic credentials.
 * Tokens are cached per host and scope set until shortly before `expires_in`; concurrent callers share
 * one in-flight token request; once a host's challenge is known, later requests are authorised up front
 * so they skip the 401 round trip.
 */
import type { Credential, CredentialResolver } from '../core/credentials.js';
import { AuthenticationError, DockerHubError } from '../core/errors.js';
import type { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import type { HttpTransport } from '../core/transport.js';

export interface Challenge {
  scheme: 'bearer' | 'basic';
  realm?: string;
  service?: string;
  scope?: string;
  error?: string;
}

/** Parses one `WWW-Authenticate` header value (the first challenge we understand). */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(Bearer|Basic)\b\s*(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (let p = re.exec(m[2] ?? ''); p; p = re.exec(m[2] ?? '')) {
    params[(p[1] ?? '').toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return {
    scheme: (m[1] ?? '').toLowerCase() === 'bearer' ? 'bearer' : 'basic',
    realm: params.realm,
    service: params.service,
    scope: params.scope,
    error: params.error,
  };
}

/** `repository:<name>:<actions>` (scope grammar of ../shared/specs/registry-auth/scope.md). */
export function repositoryScope(repository: string, actions: readonly string[]): string {
  return `repository:${repository}:${[...actions].join(',')}`;
}

interface CachedToken {
  header: string;
  expiresAt: number;
}

interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
}

/** Refresh a token this long before the registry would reject it. */
const EXPIRY_MARGIN_MS = 10_000;
const DEFAULT_TOKEN_LIFETIME_S = 60;

export class RegistryAuth {
  readonly #transport: HttpTransport;
  readonly #credentials: CredentialResolver;
  readonly #challenges = new Map<string, Challenge>();
  readonly #tokens = new Map<string, CachedToken>();
  readonly #inflight = new Map<string, Promise<CachedToken>>();
  /** Number of token requests made, for diagnostics (`dockerhub inspect --stats`) and tests. */
  tokenRequests = 0;

  constructor(transport: HttpTransport, credentials: CredentialResolver) {
    this.#transport = transport;
    this.#credentials = credentials;
  }

  /** An Authorization header for `scopes` on `host`, when the host's challenge is already known. */
  async authorization(
    host: string,
    scopes: readonly string[],
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const challenge = this.#challenges.get(host);
    if (!challenge) return undefined;
    return this.#authorize(host, challenge, scopes, signal);
  }

  /**
   * Handles a 401: records the challenge, forgets the token that was refused (only that one: a
   * concurrent caller may already have fetched a fresh one) and answers with a valid token.
   * Returns undefined when there is nothing new to try (e.g. Basic with no credentials).
   */
  async answerChallenge(
    host: string,
    header: string | undefined,
    scopes: readonly string[],
    refused: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const challenge = parseChallenge(header);
    if (!challenge) return undefined;
    this.#challenges.set(host, challenge);
    const key = this.#key(host, scopes);
    if (refused !== undefined && this.#tokens.get(key)?.header === refused) this.#tokens.delete(key);
    const answer = await this.#authorize(host, challenge, scopes, signal);
    return answer === refused ? undefined : answer;
  }

  #key(host: string, scopes: readonly string[]): string {
    return `${host}|${[...scopes].sort().join(' ')}`;
  }

  async #authorize(
    host: string,
    challenge: Challenge,
    scopes: readonly string[],
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const credential = await this.#credentials.forRegistry(host);
    if (challenge.scheme === 'basic') {
      if (credential.kind !== 'basic') return undefined;
      return basicHeader(credential.username, credential.secret);
    }
    const key = this.#key(host, scopes);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.header;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = instrument('docker.auth.token', { registry: host, scope: scopes.join(' ') }, () =>
        this.#fetchToken(host, challenge, scopes, credential, signal),
      ).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    const token = await pending;
    this.#tokens.set(key, token);
    return token.header;
  }

  async #fetchToken(
    host: string,
    challenge: Challenge,
    scopes: readonly string[],
    credential: Credential,
    signal?: AbortSignal,
  ): Promise<CachedToken> {
    if (!challenge.realm)
      throw new AuthenticationError(`registry ${host} sent a Bearer challenge without a realm`);
    const realm = new URL(challenge.realm);
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw new AuthenticationError(`registry ${host} sent an unsupported token realm`);
    }
    this.tokenRequests++;
    let res: Awaited<ReturnType<HttpTransport['request']>>;
    try {
      if (credential.kind === 'identity-token') {
        // Docker's OAuth2 refresh-token grant (registry-auth/oauth.md), what `docker login` stores.
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: credential.token.reveal(),
          client_id: 'dockerhub-api',
          service: challenge.service ?? '',
          scope: scopes.join(' '),
        });
        res = await this.#transport.request({
          method: 'POST',
          url: realm,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          idempotent: true,
          signal,
        });
      } else {
        if (challenge.service) realm.searchParams.set('service', challenge.service);
        for (const scope of scopes) realm.searchParams.append('scope', scope);
        if (credential.kind === 'basic') realm.searchParams.set('account', credential.username);
        res = await this.#transport.request({
          method: 'GET',
          url: realm,
          headers:
            credential.kind === 'basic'
              ? { authorization: basicHeader(credential.username, credential.secret) }
              : {},
          signal,
        });
      }
    } catch (err) {
      if (err instanceof DockerHubError && (err.status === 401 || err.status === 403)) {
        throw new AuthenticationError(
          `registry ${host} refused the credentials${sourceNote(credential)}: ${err.message}`,
          { status: err.status, url: err.url, method: err.method, requestId: err.requestId },
          { cause: err },
        );
      }
      throw err;
    }
    const body = (await res.body.json()) as TokenResponse;
    const token = body.token ?? body.access_token;
    if (!token) throw new AuthenticationError(`token service for ${host} answered without a token`);
    const lifetimeS = body.expires_in && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    const issued = body.issued_at ? Date.parse(body.issued_at) : Number.NaN;
    const start = Number.isNaN(issued) || issued > Date.now() ? Date.now() : issued;
    const margin = Math.min(EXPIRY_MARGIN_MS, (lifetimeS * 1000) / 4);
    return { header: `Bearer ${token}`, expiresAt: start + lifetimeS * 1000 - margin };
  }
}

function basicHeader(username: string, secret: Secret): string {
  return `Basic ${Buffer.from(`${username}:${secret.reveal()}`).toString('base64')}`;
}

function sourceNote(credential: Credential): string {
  return credential.kind === 'anonymous' ? ' (anonymous)' : ` (from ${credential.source})`;
}
