/**
 * Replay protection: a delivery is refused when its delivery id, or its exact body, was already accepted
 * within the window. The body hash is checked even when an id is present, because the id header is not
 * covered by the signature: re-sending a captured signed body under a fresh id is still a replay.
 *
 * Memory is bounded: at most `capacity` keys, least recently accepted dropped first, expired keys
 * dropped as they are met.
 */
import { createHash } from 'node:crypto';

export interface ReplayGuardOptions {
  /** How long an accepted delivery is remembered (default 10 minutes). */
  windowMs?: number;
  /** Most keys kept (default 10,000). */
  capacity?: number;
  /** Injected clock for tests. */
  now?: () => number;
}

export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #windowMs: number;
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(opts: ReplayGuardOptions = {}) {
    this.#windowMs = opts.windowMs ?? 10 * 60_000;
    this.#capacity = Math.max(1, opts.capacity ?? 10_000);
    this.#now = opts.now ?? Date.now;
  }

  /** How many keys are remembered now. */
  get size(): number {
    return this.#seen.size;
  }

  /**
   * True (and remembered) the first time a delivery is seen within the window; false for a replay, which
   * is not remembered again (the window counts from the first acceptance).
   */
  accept(body: string | Uint8Array, deliveryId?: string): boolean {
    const now = this.#now();
    this.#expire(now);
    const keys = [`body:${createHash('sha256').update(body).digest('base64')}`];
    if (deliveryId) keys.push(`id:${deliveryId}`);
    for (const key of keys) {
      const at = this.#seen.get(key);
      if (at !== undefined && now - at < this.#windowMs) return false;
    }
    for (const key of keys) {
      this.#seen.delete(key);
      this.#seen.set(key, now);
    }
    while (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.keys().next().value;
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
    return true;
  }

  /** Keys are in insertion (= acceptance) order, so expired ones are at the front. */
  #expire(now: number): void {
    for (const [key, at] of this.#seen) {
      if (now - at < this.#windowMs) break;
      this.#seen.delete(key);
    }
  }
}
