/**
 * Replay protection: a delivery seen within the window (by delivery id, else by body hash) is refused.
 * Memory is bounded: at most `max` entries, oldest dropped first.
 */
import { createHash } from 'node:crypto';

export class ReplayGuard {
  readonly #seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 10 * 60_000,
    private readonly max = 10_000,
  ) {}

  /** True the first time a delivery is seen within the window; false for a replay. */
  accept(body: Uint8Array, deliveryId?: string, now = Date.now()): boolean {
    const key = deliveryId ? `id:${deliveryId}` : `body:${createHash('sha256').update(body).digest('hex')}`;
    const at = this.#seen.get(key);
    if (at !== undefined && now - at < this.windowMs) return false;
    this.#seen.delete(key);
    this.#seen.set(key, now);
    while (this.#seen.size > this.max) {
      const oldest = this.#seen.keys().next().value;
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
    return true;
  }
}
