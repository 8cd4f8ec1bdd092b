/**
 * Undocumented endpoint: `GET /v2/user/orgs/`, the organizations the authenticated user is a member of
 * (from the state's org membership), sorted by name, with Hub pagination, each with the user's role.
 */
import { type EmulatorEnv, paginate, type Route, route, send, unauthorized } from '../http.js';

export function userOrgRoutes({ state }: EmulatorEnv): Route[] {
  return [
    route('GET', '/v2/user/orgs', (ctx) => {
      const user = ctx.user;
      if (!user) return unauthorized(ctx);
      const orgs = [...state.orgs.values()]
        .filter((o) => o.members.has(user))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((o) => ({
          orgname: o.name,
          full_name: o.name,
          type: 'Organization',
          is_active: true,
          user_role: state.orgAdmin.role(o.name, user) ?? 'member',
        }));
      send(ctx.res, 200, paginate(orgs, ctx.url));
    }),
  ];
}
