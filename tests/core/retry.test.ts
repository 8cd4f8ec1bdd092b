import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { parseRetryAfter } from '../../src/core/rate-limit.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableStatus,
  resolveRetryOptions,
  sleep,
} from '../../src/core/retry.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('retry policy', () => {
  it('backs off exponentially with jitter, within the cap', () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, opts, () => 1)).toBe(100);
    expect(backoffDelay(1, opts, () => 1)).toBe(200);
    expect(backoffDelay(3, opts, () => 1)).toBe(800);
    expect(backoffDelay(10, opts, () => 1)).toBe(1000);
    // jitter keeps at least half of the step, so retries from many clients spread out
    expect(backoffDelay(2, opts, () => 0)).toBe(200);
  });

  it('retries only transient statuses', () => {
    expect([429, 500, 502, 503, 504, 408].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 501].some(isRetryableStatus)).toBe(false);
  });

  it('turns retries off with false', () => {
    expect(resolveRetryOptions(false).maxAttempts).toBe(1);
    expect(resolveRetryOptions({ maxAttempts: 7 }).maxAttempts).toBe(7);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('sleeps on (fake) timers and can be aborted', async () => {
    vi.useFakeTimers();
    let done = false;
    const p = sleep(5000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(done).toBe(true);

    const ac = new AbortController();
    const aborted = sleep(10_000, ac.signal);
    ac.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    await expect(sleep(1, ac.signal)).rejects.toBeInstanceOf(AbortError);
  });
});
