/**
 * The registry token endpoint, compatible with auth.docker.io: `GET /token` (optional HTTP Basic with a
 * password, PAT or organization token; `scope` repeatable; `offline_token=true` adds a refresh token) and
 * `POST /token` (OAuth2 form: `grant_type` password or refresh_token), as `docker login` uses it.
 */
import type { Ctx, EmulatorEnv, Route } from '../http.js';
import { route, send } from '../http.js';
import { splitScopes, type TokenService, type TokenSubject } from '../token-service.js';

function wrongService(ctx: Ctx, tokens: TokenService, requested: string | null): boolean {
  if (!requested || requested === tokens.auth.service) return false;
  send(ctx.res, 400, {
    errors: [
      { code: 'DENIED', message: `unknown service "${requested}"; this one is ${tokens.auth.service}` },
    ],
  });
  return true;
}

/** The subject of `Authorization: Basic …`: anonymous without one, undefined when refused. */
function basicSubject(tokens: TokenService, header: string | undefined): TokenSubject | undefined {
  const [kind, encoded] = (header ?? '').split(' ');
  if (kind?.toLowerCase() !== 'basic' || !encoded) return {};
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return tokens.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
}

export function registryTokenRoutes({ registry }: EmulatorEnv): Route[] {
  const tokens = registry.tokens;
  return [
    route('GET', '/token', async (ctx) => {
      const q = ctx.url.searchParams;
      if (wrongService(ctx, tokens, q.get('service'))) return;
      const subject = basicSubject(tokens, ctx.req.headers.authorization);
      if (!subject) {
        return send(
          ctx.res,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] },
          { 'www-authenticate': `Basic realm="${tokens.auth.service}"` },
        );
      }
      const issued = await tokens.issue(subject, splitScopes(q.getAll('scope')));
      const refresh =
        q.get('offline_token') === 'true' && subject.username
          ? { refresh_token: tokens.newRefreshToken(subject.username) }
          : {};
      send(ctx.res, 200, {
        token: issued.token,
        access_token: issued.token,
        expires_in: issued.expiresIn,
        issued_at: issued.issuedAt,
        ...refresh,
      });
    }),
    route('POST', '/token', async (ctx) => {
      const form = new URLSearchParams(ctx.rawBody ?? '');
      if (wrongService(ctx, tokens, form.get('service'))) return;
      const grant = form.get('grant_type');
      let subject: TokenSubject | undefined;
      let refresh: string | undefined;
      if (grant === 'password') {
        subject = tokens.authenticate(form.get('username') ?? '', form.get('password') ?? '');
        if (subject?.username && form.get('access_type') === 'offline')
          refresh = tokens.newRefreshToken(subject.username);
      } else if (grant === 'refresh_token') {
        refresh = form.get('refresh_token') ?? '';
        subject = tokens.refreshSubject(refresh);
      } else {
        return send(ctx.res, 400, {
          error: 'unsupported_grant_type',
          error_description: 'grant_type must be password or refresh_token',
        });
      }
      if (!subject) {
        return send(ctx.res, 401, {
          error: 'invalid_grant',
          error_description: 'incorrect username, password or refresh token',
        });
      }
      const issued = await tokens.issue(subject, splitScopes([form.get('scope') ?? '']));
      send(ctx.res, 200, {
        access_token: issued.token,
        scope: issued.scope,
        expires_in: issued.expiresIn,
        issued_at: issued.issuedAt,
        ...(refresh ? { refresh_token: refresh } : {}),
      });
    }),
  ];
}
