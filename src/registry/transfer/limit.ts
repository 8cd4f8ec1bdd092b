/** A small concurrency limiter: at most `n` tasks run at once; the rest wait in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(n: number): Limiter {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`concurrency must be a positive integer, got ${n}`);
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}

/**
 * Runs `task` for every item, at most `concurrency` at once. On the first failure the others are told to
 * stop (their signal aborts) and are waited for, so that the caller's cleanup never races a transfer that
 * is still writing; then the first failure is thrown. The caller's `signal` stops everything too.
 */
export async function runEach<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  task: (item: T, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const limit = createLimiter(concurrency);
  let first: { error: unknown } | undefined;
  try {
    await Promise.allSettled(
      items.map((item) =>
        limit(async () => {
          if (stop.signal.aborted) return;
          try {
            await task(item, stop.signal);
          } catch (error) {
            // Abort before this slot frees, so no queued item starts after a failure.
            first ??= { error };
            stop.abort(error);
          }
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (first) throw first.error;
  signal?.throwIfAborted();
}
