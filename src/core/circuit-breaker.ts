/**
 * One circuit breaker per host (cockatiel): after `threshold` consecutive failures the host is skipped
 * for `halfOpenAfterMs`, then one trial request decides whether it closes again. This keeps a mirror job
 * from hammering a registry that is down.
 */
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
} from 'cockatiel';
import { CircuitOpenError } from './errors.js';

export interface CircuitBreakerOptions {
  threshold: number;
  halfOpenAfterMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { threshold: 5, halfOpenAfterMs: 30_000 };

/** Thrown inside the policy to mark a response (5xx) as a failure without losing it. */
class FailedResponse<T> extends Error {
  constructor(readonly response: T) {
    super('failed response');
  }
}

export class HostCircuitBreakers {
  readonly #policies = new Map<string, CircuitBreakerPolicy>();
  readonly #opts: CircuitBreakerOptions | false;

  constructor(opts: Partial<CircuitBreakerOptions> | false | undefined) {
    this.#opts = opts === false ? false : { ...DEFAULT_CIRCUIT_BREAKER, ...opts };
  }

  #policy(host: string): CircuitBreakerPolicy | undefined {
    if (!this.#opts) return undefined;
    let policy = this.#policies.get(host);
    if (!policy) {
      policy = circuitBreaker(handleAll, {
        halfOpenAfter: this.#opts.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.#opts.threshold),
      });
      this.#policies.set(host, policy);
    }
    return policy;
  }

  /**
   * Runs `fn` through the host's breaker. `isFailure` marks a returned value (e.g. a 503) as a failure
   * for the breaker's count while still handing it back to the caller.
   */
  async run<T>(host: string, fn: () => Promise<T>, isFailure: (value: T) => boolean): Promise<T> {
    const policy = this.#policy(host);
    if (!policy) return fn();
    try {
      return await policy.execute(async () => {
        const value = await fn();
        if (isFailure(value)) throw new FailedResponse(value);
        return value;
      });
    } catch (err) {
      if (err instanceof FailedResponse) return err.response as T;
      if (err instanceof BrokenCircuitError) {
        throw new CircuitOpenError(
          `circuit open for ${host}: too many consecutive failures; not retrying for ${Math.round(
            (this.#opts as CircuitBreakerOptions).halfOpenAfterMs / 1000,
          )}s`,
          {},
          { retryable: true },
        );
      }
      throw err;
    }
  }
}
