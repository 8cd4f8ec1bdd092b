/** runEach: bounded concurrency, and on the first failure the rest stop and are waited for. */
import { describe, expect, it } from 'vitest';
import { runEach } from '../../src/registry/transfer/limit.js';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

describe('runEach', () => {
  it('runs at most N at once and every item once', async () => {
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await runEach([1, 2, 3, 4, 5, 6, 7], 3, undefined, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await sleep(5);
      seen.push(n);
      active--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('on the first failure aborts the others, waits for them to finish, starts no more, and throws it', async () => {
    const events: string[] = [];
    const boom = new Error('boom');
    const run = runEach(['fail', 'slow', 'later'], 2, undefined, async (item, signal) => {
      events.push(`start ${item}`);
      if (item === 'fail') {
        await sleep(5);
        throw boom;
      }
      try {
        await sleep(1000, signal);
      } catch {
        await sleep(20); // cleanup of its own takes a moment
        events.push(`stopped ${item}`);
        throw new Error('aborted');
      }
    });
    await expect(run).rejects.toBe(boom);
    expect(events).toEqual(['start fail', 'start slow', 'stopped slow']);
  });

  it("stops everything when the caller's signal aborts", async () => {
    const caller = new AbortController();
    const started: number[] = [];
    const run = runEach([1, 2, 3, 4], 1, caller.signal, async (n, signal) => {
      started.push(n);
      await sleep(1000, signal);
    });
    setTimeout(() => caller.abort(new Error('interrupted')), 10);
    await expect(run).rejects.toThrow('interrupted');
    expect(started).toEqual([1]);
  });
});
