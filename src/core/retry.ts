/**
 * Retry policy. We keep this loop ourselves (rather than cockatiel's RetryPolicy) because the delay of
 * each attempt depends on the response: a 429's `Retry-After` wins over the computed backoff.
 */
import { AbortError, ValidationError } from './errors.js';

export interface RetryOptions {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** First backoff step; doubles each attempt. */
  baseDelayMs: number;
  /** Upper bound of a computed backoff step. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the 429 is returned to the caller instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** The most retries a caller may ask for: beyond it a failing host is hammered for minutes. */
export const MAX_RETRIES_LIMIT = 20;

/**
 * Retries after the first attempt, checked: an integer from 0 to MAX_RETRIES_LIMIT. `source` names where
 * the value came from (an option or an environment variable) in the one-line error.
 */
export function parseMaxRetries(value: string | number, source: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_RETRIES_LIMIT) {
    throw new ValidationError(
      `${source} must be a whole number from 0 to ${MAX_RETRIES_LIMIT} (retries after the first attempt), got ${JSON.stringify(String(value))}`,
    );
  }
  return n;
}

/**
 * The retries a transport makes by default: the `maxRetries` option, else DOCKERHUB_MAX_RETRIES, else
 * DEFAULT_RETRY's (3: a burst of three 503s or resets on one path is ridden out).
 */
export function defaultMaxAttempts(
  maxRetries: number | undefined,
  env: Record<string, string | undefined> = process.env,
): number {
  if (maxRetries !== undefined) return parseMaxRetries(maxRetries, 'maxRetries') + 1;
  const fromEnv = env.DOCKERHUB_MAX_RETRIES;
  if (fromEnv !== undefined && fromEnv !== '') return parseMaxRetries(fromEnv, 'DOCKERHUB_MAX_RETRIES') + 1;
  return DEFAULT_RETRY.maxAttempts;
}

export function resolveRetryOptions(
  opts: Partial<RetryOptions> | false | undefined,
  maxAttempts: number = DEFAULT_RETRY.maxAttempts,
): RetryOptions {
  if (opts === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  return { ...DEFAULT_RETRY, maxAttempts, ...opts };
}

/** Exponential backoff with full jitter (AWS architecture blog): random in [0, min(max, base·2^n)]. */
export function backoffDelay(
  attempt: number,
  opts: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Statuses worth repeating: rate limited, and server-side failures that are usually transient. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 429 || status === 408 || status === 500 || status === 502 || status === 503 || status === 504
  );
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError('request aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('request aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
