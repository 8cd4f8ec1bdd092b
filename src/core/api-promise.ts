/**
 * The promise every SDK call returns: awaiting it gives the parsed data, `.withResponse()` gives the data
 * and the response metadata (status, headers, rate limit), as Stainless SDKs do.
 */
import type { ResponseInfo } from './transport.js';

export interface WithResponse<T> {
  data: T;
  response: ResponseInfo;
}

export class APIPromise<T> implements PromiseLike<T> {
  readonly #inner: Promise<WithResponse<T>>;

  constructor(inner: Promise<WithResponse<T>>) {
    this.#inner = inner;
    // The caller may only ever use withResponse(); avoid an unhandled rejection on the data branch.
    inner.catch(() => undefined);
  }

  static from<T>(fn: () => Promise<WithResponse<T>>): APIPromise<T> {
    return new APIPromise(fn());
  }

  withResponse(): Promise<WithResponse<T>> {
    return this.#inner;
  }

  asResponse(): Promise<ResponseInfo> {
    return this.#inner.then((r) => r.response);
  }

  // biome-ignore lint/suspicious/noThenProperty: this class is a thenable on purpose.
  then<A = T, B = never>(
    onfulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#inner.then((r) => r.data).then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}
