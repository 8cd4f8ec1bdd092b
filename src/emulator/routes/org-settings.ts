/** Organization settings: members read them, owners replace them. */
import { type EmulatorEnv, type Route, route, send } from '../http.js';
import type { EmulatedOrgSettings } from '../org-state.js';
import { orgAccess } from './org-access.js';

export function orgSettingsRoutes({ state }: EmulatorEnv): Route[] {
  return [
    route('GET', '/v2/orgs/:name/settings', (ctx, p) => {
      const org = p.name;
      if (!orgAccess(state, ctx, org, 'member')) return;
      send(ctx.res, 200, state.orgAdmin.settings(org));
    }),
    route('PUT', '/v2/orgs/:name/settings', (ctx, p) => {
      const org = p.name;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      const body = ctx.body as EmulatedOrgSettings;
      const settings = state.orgAdmin.settings(org);
      const { enabled, allow_official_images, allow_verified_publishers } = body.restricted_images;
      settings.restricted_images = { enabled, allow_official_images, allow_verified_publishers };
      state.record('org.settings.update', access.user, {
        org,
        restricted_images: settings.restricted_images,
      });
      send(ctx.res, 200, settings);
    }),
  ];
}
