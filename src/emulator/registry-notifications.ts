/**
 * distribution's notification envelopes (`application/vnd.docker.distribution.events.v1+json`: an
 * `events` array whose items carry `action`, `target{mediaType,size,digest,repository,tag}` and `actor`)
 * turned into `RegistryEvent`s. Blob pushes and pulls are dropped: only manifests change what a
 * repository's tags are.
 */
import { safeEqual } from '../webhooks/signature.js';
import type { RegistryEvent } from './registry-types.js';

/** The header carrying the per-run secret that registries must send with their notifications. */
export const EVENTS_SECRET_HEADER = 'x-emulator-events-secret';
export const NOTIFICATION_MEDIA_TYPE = 'application/vnd.docker.distribution.events.v1+json';

interface EnvelopeEvent {
  action?: unknown;
  target?: { mediaType?: unknown; size?: unknown; digest?: unknown; repository?: unknown; tag?: unknown };
  actor?: { name?: unknown };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function isManifestType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && /manifest|index|list/.test(mediaType);
}

/** The push and delete events of an envelope; anything malformed or irrelevant is skipped. */
export function parseNotificationEnvelope(body: unknown): RegistryEvent[] {
  const events = (body as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) return [];
  const out: RegistryEvent[] = [];
  for (const e of events as EnvelopeEvent[]) {
    const action = e?.action;
    const repository = str(e?.target?.repository);
    const digest = str(e?.target?.digest);
    if ((action !== 'push' && action !== 'delete') || !repository || !digest) continue;
    const tag = str(e.target?.tag);
    const mediaType = str(e.target?.mediaType);
    if (action === 'push' && !tag && !isManifestType(mediaType)) continue;
    const size = typeof e.target?.size === 'number' ? e.target.size : undefined;
    const actor = str(e.actor?.name);
    out.push({
      action,
      repository,
      digest,
      ...(tag ? { tag } : {}),
      ...(mediaType ? { mediaType } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(actor ? { actor } : {}),
    });
  }
  return out;
}

/** Constant-time comparison of the secret header. */
export function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  return typeof given === 'string' && safeEqual(given, expected);
}
