/**
 * The registry token service (what auth.docker.io does for Docker Hub): decides which of the requested
 * repository actions a caller gets, and signs them into an ES256 JWT with an `x5c` header that the
 * registry beside the emulator verifies against `rootCertBundle` (distribution's claim set: iss, sub, aud,
 * exp, nbf, iat, jti, access).
 *
 * Policy, as Docker Hub: anyone may pull public repositories; a user may pull, push and delete in their
 * own namespace and in organizations they belong to (also repositories that do not exist yet: a push
 * creates them); a PAT is capped by its scopes. Everything else is left out of the token (not an error).
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { RegistryTokenAuth } from './registry-types.js';
import { createSigningKey, type SigningKey } from './signing-key.js';
import type { EmulatorState } from './state.js';

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface IssuedToken {
  token: string;
  /** The granted access as a scope list (`repository:acme/app:pull,push registry:catalog:*`). */
  scope: string;
  expiresIn: number;
  issuedAt: string;
}

/** Who asked: a user (and the actions their credential may use at most), or nobody. */
export interface TokenSubject {
  username?: string;
  /** Absent: no cap (a password). A PAT's scopes cap its actions. */
  cap?: ReadonlySet<string>;
}

/** Docker Hub's registry service name; tokens carry it as `aud`. */
export const REGISTRY_SERVICE = 'registry.docker.io';
export const TOKEN_ISSUER = 'dockerhub-emulator';
const WRITE_ACTIONS = ['pull', 'push', 'delete', '*'];

/**
 * `type[(class)]:name:actions`. The name may hold a `host:port`, so split on the first and last colon;
 * the resource class is deprecated and ignored.
 */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter(Boolean);
  return { type: scope.slice(0, first).replace(/\(.*\)$/, ''), name: scope.slice(first + 1, last), actions };
}

/** Scope strings from repeated parameters, each possibly a space-separated list. */
export function splitScopes(values: string[]): string[] {
  return values.flatMap((s) => s.split(' ').filter(Boolean));
}

/** `acme/app` → `acme`, `app`; a one-segment name belongs to `library`, as on Docker Hub. */
export function splitRepositoryPath(path: string): { namespace: string; name: string } {
  const slash = path.indexOf('/');
  return slash < 0
    ? { namespace: 'library', name: path }
    : { namespace: path.slice(0, slash), name: path.slice(slash + 1) };
}

/** PAT scopes (`repo:read`, `repo:write`, `repo:admin`, `repo:public_read`) as registry actions. */
export function actionsForPatScopes(scopes: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const s of scopes) {
    if (s === 'repo:read' || s === 'repo:public_read') out.add('pull');
    if (s === 'repo:write') for (const a of ['pull', 'push']) out.add(a);
    if (s === 'repo:admin') for (const a of WRITE_ACTIONS) out.add(a);
  }
  return out;
}

export class TokenService {
  readonly #key: SigningKey;
  readonly #state: EmulatorState;
  readonly #realm: () => string;
  readonly #ttl: number;
  /** Refresh token → username; opaque, never expire (as the spec allows), forgotten on restart. */
  readonly #refresh = new Map<string, string>();

  /** `realm` gives the emulator's `/token` URL (known once it listens). */
  constructor(state: EmulatorState, key: SigningKey, realm: () => string, ttlSeconds = 300) {
    this.#state = state;
    this.#key = key;
    this.#realm = realm;
    this.#ttl = ttlSeconds;
  }

  /** What a registry needs to trust these tokens. */
  get auth(): RegistryTokenAuth {
    return {
      realm: this.#realm(),
      service: REGISTRY_SERVICE,
      issuer: TOKEN_ISSUER,
      rootCertBundle: this.#key.certPem,
    };
  }

  /** A signing key and self-signed certificate for a new service. */
  static createKey(): Promise<SigningKey> {
    return createSigningKey(TOKEN_ISSUER);
  }

  /** Checks a username and password, PAT or organization token; undefined when refused. */
  authenticate(username: string, secret: string): TokenSubject | undefined {
    const login = this.#state.login(username, secret);
    if (!login) return undefined;
    return login.pat ? { username, cap: actionsForPatScopes(login.pat.scopes) } : { username };
  }

  newRefreshToken(username: string): string {
    const token = randomBytes(24).toString('base64url');
    this.#refresh.set(token, username);
    return token;
  }

  refreshSubject(token: string): TokenSubject | undefined {
    const username = this.#refresh.get(token);
    return username === undefined ? undefined : { username };
  }

  /** The actions `subject` has on one requested resource. */
  allowed(subject: TokenSubject, access: Access): string[] {
    if (access.type !== 'repository') return [];
    const { namespace, name } = splitRepositoryPath(access.name);
    const repo = this.#state.repositories.get(this.#state.key(namespace, name));
    let granted: string[] = [];
    if (this.#state.canWrite(subject.username, namespace)) granted = WRITE_ACTIONS;
    else if (repo && !repo.is_private) granted = ['pull'];
    return access.actions.filter((a) => granted.includes(a) && (!subject.cap || subject.cap.has(a)));
  }

  /** Signs a token holding the intersection of what was asked and what `subject` may do. */
  async issue(subject: TokenSubject, scopes: string[]): Promise<IssuedToken> {
    const access = scopes
      .map(parseScope)
      .filter((a): a is Access => a !== undefined)
      .map((a) => ({ ...a, actions: this.allowed(subject, a) }))
      .filter((a) => a.actions.length > 0);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [this.#key.x5c] })
      .setIssuer(TOKEN_ISSUER)
      .setSubject(subject.username ?? '')
      .setAudience(REGISTRY_SERVICE) // a string: distribution 2.8 does not accept an audience list
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + this.#ttl)
      .setJti(randomBytes(16).toString('hex'))
      .sign(this.#key.privateKey);
    return {
      token,
      scope: access.map((a) => `${a.type}:${a.name}:${a.actions.join(',')}`).join(' '),
      expiresIn: this.#ttl,
      issuedAt: new Date(now * 1000).toISOString(),
    };
  }
}
