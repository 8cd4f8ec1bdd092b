/** Authentication: `POST /v2/auth/token` (password or PAT → JWT) and the undocumented current user. */
import { type EmulatorEnv, fail, type Route, route, send, unauthorized } from '../http.js';

export function authRoutes({ state, mint }: EmulatorEnv): Route[] {
  return [
    route('POST', '/v2/auth/token', async (ctx) => {
      const { identifier, secret } = ctx.body as { identifier: string; secret: string };
      const login = state.login(identifier, secret);
      if (!login) return fail(ctx, 401, 'incorrect username or password');
      send(ctx.res, 200, { access_token: await mint(login.account) });
    }),
    // Undocumented endpoint: the current user.
    route('GET', '/v2/user', (ctx) => {
      if (!ctx.user) return unauthorized(ctx);
      const u = state.users.get(ctx.user);
      send(ctx.res, 200, { id: u?.uuid, username: ctx.user, email: u?.email, type: 'User' });
    }),
  ];
}
