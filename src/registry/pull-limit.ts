/**
 * Docker Hub's pull-limit check (undocumented in the Hub API spec, documented in Docker's usage docs):
 * a HEAD on `ratelimitpreview/test` returns the `ratelimit-limit` / `ratelimit-remaining` headers for the
 * caller (anonymous: per IP; authenticated: per account) without counting as a pull.
 */
import type { RateLimitInfo } from '../core/rate-limit.js';
import { parseReference } from '../reference/index.js';
import type { RegistryClient } from './client.js';

export const PULL_LIMIT_PROBE = 'docker.io/ratelimitpreview/test:latest';

export interface PullLimit {
  limit?: number;
  remaining?: number;
  windowSeconds?: number;
  /** The IP or account the limit is counted against. */
  source?: string;
  /** False when the registry sent no limit headers (e.g. a paid plan or a mirror without limits). */
  limited: boolean;
}

export async function checkPullLimit(
  client: RegistryClient,
  probe = PULL_LIMIT_PROBE,
  signal?: AbortSignal,
): Promise<PullLimit> {
  const { response } = await client.manifests.head(parseReference(probe), { signal }).withResponse();
  const info: RateLimitInfo | undefined =
    response.rateLimit?.kind === 'registry' ? response.rateLimit : undefined;
  if (!info) return { limited: false };
  return {
    limit: info.limit,
    remaining: info.remaining,
    windowSeconds: info.windowSeconds,
    source: info.source,
    limited: true,
  };
}
