/**
 * Registry notifications: `POST /_emulator/registry-events` takes distribution's notification envelopes
 * (from a registry configured to send them, with the per-run secret header) and applies their pushes and
 * deletes to the repositories and tags. Not part of Docker Hub's API.
 */
import { type EmulatorEnv, fail, type Route, route, send } from '../http.js';
import { EVENTS_SECRET_HEADER, parseNotificationEnvelope, secretMatches } from '../registry-notifications.js';

export const REGISTRY_EVENTS_PATH = '/_emulator/registry-events';

export function registryEventRoutes({ registry }: EmulatorEnv): Route[] {
  return [
    route('POST', REGISTRY_EVENTS_PATH, (ctx) => {
      if (!secretMatches(registry.eventsSecret, ctx.req.headers[EVENTS_SECRET_HEADER]))
        return fail(ctx, 401, `missing or wrong ${EVENTS_SECRET_HEADER} header`);
      const events = parseNotificationEnvelope(ctx.body);
      for (const event of events) registry.sync.apply(event);
      send(ctx.res, 200, { applied: events.length });
    }),
  ];
}
