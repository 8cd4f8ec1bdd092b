/**
 * Rate-limit headers. Docker documents different figures across revisions, so we never hard-code a limit:
 * we read what each response says and keep the latest snapshot per kind.
 */

export interface RateLimitInfo {
  /** 'hub' for the Hub API's X-RateLimit-*, 'registry' for the registry pull limit (ratelimit-*). */
  kind: 'hub' | 'registry';
  limit?: number;
  remaining?: number;
  /** Window length in seconds (registry `;w=`). */
  windowSeconds?: number;
  /** When the window resets (Hub `X-RateLimit-Reset`, unix seconds). */
  resetAt?: Date;
  /** Registry `docker-ratelimit-source`: the IP or account the limit is counted against. */
  source?: string;
  observedAt: Date;
}

type HeaderMap = Record<string, string | undefined>;

function parseCount(value: string | undefined): { count?: number; window?: number } {
  if (!value) return {};
  // "100;w=21600" (registry) or "100" (Hub)
  const [countText, ...params] = value.split(';');
  const count = Number.parseInt(countText?.trim() ?? '', 10);
  let window: number | undefined;
  for (const p of params) {
    const m = /^\s*w\s*=\s*(\d+)\s*$/.exec(p);
    if (m) window = Number(m[1]);
  }
  return { count: Number.isFinite(count) ? count : undefined, window };
}

/** Parses rate-limit headers (lower-cased names) from one response; undefined when there are none. */
export function parseRateLimit(headers: HeaderMap, now = new Date()): RateLimitInfo | undefined {
  if (headers['ratelimit-limit'] !== undefined || headers['ratelimit-remaining'] !== undefined) {
    const limit = parseCount(headers['ratelimit-limit']);
    const remaining = parseCount(headers['ratelimit-remaining']);
    return {
      kind: 'registry',
      limit: limit.count,
      remaining: remaining.count,
      windowSeconds: limit.window ?? remaining.window,
      source: headers['docker-ratelimit-source'],
      observedAt: now,
    };
  }
  if (headers['x-ratelimit-limit'] !== undefined || headers['x-ratelimit-remaining'] !== undefined) {
    const reset = Number.parseInt(headers['x-ratelimit-reset'] ?? '', 10);
    return {
      kind: 'hub',
      limit: parseCount(headers['x-ratelimit-limit']).count,
      remaining: parseCount(headers['x-ratelimit-remaining']).count,
      resetAt: Number.isFinite(reset) ? new Date(reset * 1000) : undefined,
      observedAt: now,
    };
  }
  return undefined;
}

/** Keeps the latest snapshot of each kind; the client exposes it as `client.rateLimit`. */
export class RateLimitTracker {
  #latest: Partial<Record<RateLimitInfo['kind'], RateLimitInfo>> = {};

  record(info: RateLimitInfo | undefined): void {
    if (info) this.#latest[info.kind] = info;
  }

  get hub(): RateLimitInfo | undefined {
    return this.#latest.hub;
  }

  get registry(): RateLimitInfo | undefined {
    return this.#latest.registry;
  }
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
