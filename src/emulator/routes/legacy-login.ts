/**
 * The deprecated login and its two-factor step: `POST /v2/users/login` (username + password or PAT →
 * `token`) and `POST /v2/users/2fa-login`. A seed user with `twoFactorCode` logging in with a password gets
 * a 401 carrying a short-lived, single-use `login_2fa_token`; the second step trades it and the fixed code
 * for a JWT. A PAT skips the second factor, as on Docker Hub.
 */
import { randomBytes } from 'node:crypto';
import { type EmulatorEnv, fail, type Route, route, send } from '../http.js';

/** How long an intermediate 2FA token stays valid. */
const PENDING_TTL_MS = 5 * 60_000;

export function legacyLoginRoutes({ state, mint }: EmulatorEnv): Route[] {
  const pending = new Map<string, { username: string; expiresAt: number }>();

  return [
    route('POST', '/v2/users/login', async (ctx) => {
      const { username, password } = ctx.body as { username: string; password: string };
      const login = state.login(username, password);
      if (!login) return fail(ctx, 401, 'Incorrect authentication credentials');
      if (login.via === 'password' && state.users.get(username)?.twoFactorCode) {
        const token = randomBytes(24).toString('base64url');
        pending.set(token, { username, expiresAt: Date.now() + PENDING_TTL_MS });
        send(ctx.res, 401, {
          detail: 'Require secondary authentication on MFA enabled account',
          login_2fa_token: token,
        });
        return;
      }
      send(ctx.res, 200, { token: await mint(username) });
    }),
    route('POST', '/v2/users/2fa-login', async (ctx) => {
      const { login_2fa_token, code } = ctx.body as { login_2fa_token: string; code: string };
      const entry = pending.get(login_2fa_token);
      if (!entry || entry.expiresAt < Date.now()) {
        pending.delete(login_2fa_token);
        return fail(ctx, 401, 'Incorrect or expired login_2fa_token');
      }
      if (state.users.get(entry.username)?.twoFactorCode !== code)
        return fail(ctx, 401, 'Incorrect authentication code');
      pending.delete(login_2fa_token); // single use
      send(ctx.res, 200, { token: await mint(entry.username) });
    }),
  ];
}
