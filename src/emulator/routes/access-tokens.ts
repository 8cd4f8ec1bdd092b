/** Personal access tokens: the plaintext appears only in the create response. */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  type EmulatorEnv,
  type Json,
  notFound,
  paginate,
  type Route,
  route,
  send,
  unauthorized,
} from '../http.js';
import type { EmulatedPat } from '../state.js';

function patView(p: EmulatedPat, withToken: boolean): Json {
  const { owner: _owner, token, ...rest } = p;
  return { ...rest, generated_by: 'manual', token: withToken ? token : '' };
}

export function accessTokenRoutes({ state }: EmulatorEnv): Route[] {
  const own = (user: string | undefined, uuid: string | undefined) => {
    const pat = state.pats.get(uuid ?? '');
    return pat && pat.owner === user ? pat : undefined;
  };
  return [
    route('GET', '/v2/access-tokens', (ctx) => {
      if (!ctx.user) return unauthorized(ctx);
      const mine = [...state.pats.values()].filter((p) => p.owner === ctx.user).map((p) => patView(p, false));
      send(ctx.res, 200, {
        ...paginate(mine, ctx.url),
        active_count: mine.filter((p) => p.is_active).length,
      });
    }),
    route('POST', '/v2/access-tokens', (ctx) => {
      if (!ctx.user) return unauthorized(ctx);
      const body = ctx.body as { token_label: string; scopes: string[]; expires_at?: string };
      const pat: EmulatedPat = {
        uuid: randomUUID(),
        owner: ctx.user,
        token: `dckr_pat_${randomBytes(20).toString('base64url')}`,
        token_label: body.token_label,
        scopes: body.scopes,
        is_active: true,
        created_at: new Date().toISOString(),
        expires_at: body.expires_at,
        last_used: null,
      };
      state.pats.set(pat.uuid, pat);
      state.record('pat.create', ctx.user, { uuid: pat.uuid, label: pat.token_label });
      send(ctx.res, 201, patView(pat, true));
    }),
    route('GET', '/v2/access-tokens/:uuid', (ctx, p) => {
      if (!ctx.user) return unauthorized(ctx);
      const pat = own(ctx.user, p.uuid);
      return pat ? send(ctx.res, 200, patView(pat, false)) : notFound(ctx, 'access token');
    }),
    route('PATCH', '/v2/access-tokens/:uuid', (ctx, p) => {
      if (!ctx.user) return unauthorized(ctx);
      const pat = own(ctx.user, p.uuid);
      if (!pat) return notFound(ctx, 'access token');
      const changes = ctx.body as { token_label?: string; is_active?: boolean };
      if (changes.token_label !== undefined) pat.token_label = changes.token_label;
      if (changes.is_active !== undefined) pat.is_active = changes.is_active;
      state.record('pat.update', ctx.user, { uuid: pat.uuid, fields: Object.keys(changes) });
      send(ctx.res, 200, patView(pat, false));
    }),
    route('DELETE', '/v2/access-tokens/:uuid', (ctx, p) => {
      if (!ctx.user) return unauthorized(ctx);
      const pat = own(ctx.user, p.uuid);
      if (!pat) return notFound(ctx, 'access token');
      state.pats.delete(pat.uuid);
      state.record('pat.delete', ctx.user, { uuid: pat.uuid });
      send(ctx.res, 204);
    }),
  ];
}
