/**
 * The built-in OCI registry's HTTP server: routes each request, enforces token auth when configured, runs
 * the handler, and turns failures into OCI error responses. Every response says
 * `Docker-Distribution-API-Version: registry/2.0`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { RegistryEvent } from '../registry-types.js';
import { grants, InvalidTokenError, type TokenAuthority, type TokenClaims } from './auth.js';
import { RegistryError } from './errors.js';
import { sendError } from './http.js';
import type { RepositoryStore } from './repository-store.js';
import { matchRoute, type RouteMatch } from './router.js';
import type { UploadSessions } from './upload-sessions.js';

export interface ServerDeps {
  store: RepositoryStore;
  uploads: UploadSessions;
  authority?: TokenAuthority;
  onEvent?: (event: RegistryEvent) => void;
}

const ACTIONS: Record<string, string[]> = { pull: ['pull'], push: ['pull', 'push'], delete: ['delete'] };

/** The scopes a 401 asks for: the route's actions, plus pull on a mount's source repository. */
function scopesFor(match: RouteMatch, url: URL): string[] {
  if (match.need === 'catalog') return ['registry:catalog:*'];
  const actions = ACTIONS[match.need];
  if (!actions) return [];
  const scopes = [`repository:${match.name}:${actions.join(',')}`];
  const from = url.searchParams.get('from');
  if (match.need === 'push' && url.searchParams.has('mount') && from && from !== match.name) {
    scopes.push(`repository:${from}:pull`);
  }
  return scopes;
}

function unauthorized(match: RouteMatch, challenge: string): RegistryError {
  const detail = (ACTIONS[match.need] ?? []).map((action) => ({
    Type: 'repository',
    Name: match.name,
    Action: action,
  }));
  return new RegistryError(
    401,
    'UNAUTHORIZED',
    'authentication required',
    detail.length > 0 ? detail : undefined,
    { 'www-authenticate': challenge },
  );
}

async function authorize(
  authority: TokenAuthority,
  req: IncomingMessage,
  match: RouteMatch,
  url: URL,
): Promise<TokenClaims> {
  const scopes = scopesFor(match, url);
  let claims: TokenClaims | undefined;
  try {
    claims = await authority.verify(req.headers.authorization);
  } catch (err) {
    if (err instanceof InvalidTokenError)
      throw unauthorized(match, authority.challenge(scopes, 'invalid_token'));
    throw err;
  }
  if (!claims) throw unauthorized(match, authority.challenge(scopes));
  const allowed =
    match.need === 'authenticated' ||
    (match.need === 'catalog'
      ? grants(claims, 'registry', 'catalog', '*')
      : grants(claims, 'repository', match.name, match.need));
  if (!allowed) throw unauthorized(match, authority.challenge(scopes, 'insufficient_scope'));
  return claims;
}

export function createRegistryServer(deps: ServerDeps): Server {
  const { store, uploads, authority, onEvent } = deps;
  const emit = (event: RegistryEvent) => {
    try {
      onEvent?.(event);
    } catch {
      // A listener's failure is its own; the registry's answer stands.
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('docker-distribution-api-version', 'registry/2.0');
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    const claims = authority ? await authorize(authority, req, match, url) : undefined;
    await match.handler({
      req,
      res,
      url,
      name: match.name,
      reference: match.reference,
      store,
      uploads,
      ...(claims?.subject ? { actor: claims.subject } : {}),
      canPull: (repository) => !claims || grants(claims, 'repository', repository, 'pull'),
      emit,
    });
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const error =
        err instanceof RegistryError
          ? err
          : new RegistryError(500, 'UNKNOWN', 'internal registry error', (err as Error)?.message);
      sendError(res, error);
    });
  });
}
