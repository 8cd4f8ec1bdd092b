/**
 * The one HTTP request loop of the toolkit. All policy lives here: keep-alive pools (undici Agent),
 * per-attempt timeouts, caller abort, redirects (dropping credentials across origins), retries with
 * `Retry-After` or jittered backoff, a per-host circuit breaker, rate-limit capture, typed errors and
 * logging. Resource code (Hub, registry, Scout) only says what to send.
 */
import type { Readable } from 'node:stream';
import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import { BufferedBody, type CassettePlayer, type CassetteRecorder, cassetteMode } from './cassette.js';
import { type CircuitBreakerOptions, HostCircuitBreakers } from './circuit-breaker.js';
import {
  AbortError,
  ConnectionError,
  DockerHubError,
  type HttpError,
  makeHttpError,
  TimeoutError,
} from './errors.js';
import { getLogger, type Logger } from './logger.js';
import { parseRateLimit, parseRetryAfter, type RateLimitInfo, RateLimitTracker } from './rate-limit.js';
import { redactHeaders, redactUrl, redactValue } from './redact.js';
import {
  backoffDelay,
  defaultMaxAttempts,
  isRetryableStatus,
  type RetryOptions,
  resolveRetryOptions,
  sleep,
} from './retry.js';
import { recordRateLimit } from './telemetry.js';

export type RequestBody = string | Uint8Array | Readable | null | undefined;

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string | undefined>;
  /** Strings and buffers can be re-sent on retry; a stream is sent once. */
  body?: RequestBody;
  signal?: AbortSignal;
  /** Idle timeout per attempt (headers, then gaps between body chunks). */
  timeoutMs?: number;
  /** Whether repeating the request is safe. Default: true for GET, HEAD, PUT, DELETE, OPTIONS. */
  idempotent?: boolean;
  retry?: Partial<RetryOptions> | false;
  /** Default true. Registries redirect blob GETs to storage or a CDN. */
  followRedirects?: boolean;
}

/** A response body: a stream, plus undici's convenience readers. */
export interface ResponseBody extends Readable {
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  dump(opts?: { limit?: number }): Promise<void>;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The final URL, after redirects. */
  url: string;
  method: string;
  body: ResponseBody;
  requestId?: string;
  rateLimit?: RateLimitInfo;
}

/** What `.withResponse()` gives next to the parsed data: everything but the body. */
export interface ResponseInfo {
  status: number;
  headers: Record<string, string>;
  url: string;
  method: string;
  requestId?: string;
  rateLimit?: RateLimitInfo;
}

export interface TransportHooks {
  /** Called before each attempt (after redirects are resolved). Must not mutate the request. */
  onRequest?(req: { method: string; url: string; headers: Record<string, string>; attempt: number }): void;
  /** Called after each attempt's headers arrive. */
  onResponse?(res: ResponseInfo & { attempt: number; durationMs: number }): void;
}

export interface TransportOptions {
  timeoutMs?: number;
  retry?: Partial<RetryOptions> | false;
  /**
   * Retries after the first attempt of a failed idempotent request (0 to 20; default env
   * DOCKERHUB_MAX_RETRIES, else 3). `retry.maxAttempts` wins where both are given.
   */
  maxRetries?: number;
  circuitBreaker?: Partial<CircuitBreakerOptions> | false;
  maxRedirects?: number;
  userAgent?: string;
  /** Bring your own undici dispatcher (proxy, mock, custom TLS). */
  dispatcher?: Dispatcher;
  /** Max sockets per origin in the default pool. */
  connections?: number;
  logger?: Logger;
  hooks?: TransportHooks[];
  /** Injected for tests: randomness of the backoff jitter. */
  random?: () => number;
  /** Injected for tests: how to wait between attempts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Record every interaction to this cassette file (default: env DOCKERHUB_RECORD). */
  record?: string;
  /** Answer from this cassette file, with no network (default: env DOCKERHUB_REPLAY). */
  replay?: string;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-docker-request-id',
  'docker-request-id',
  'x-trace-id',
  'x-amz-request-id',
];
export const DEFAULT_USER_AGENT = 'dockerhub-api/0.1 (+https://www.npmjs.com/package/dockerhub-api)';

export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function isReplayable(body: RequestBody): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/** Maps undici/Node errors to our typed transport errors. */
export function mapTransportError(
  err: unknown,
  ctx: { method: string; url: string; signal?: AbortSignal },
): DockerHubError {
  if (err instanceof DockerHubError) return err;
  const e = err as { name?: string; code?: string; message?: string };
  const where = `${ctx.method} ${redactUrl(ctx.url)}`;
  if (ctx.signal?.aborted || e?.name === 'AbortError' || e?.code === 'UND_ERR_ABORTED') {
    return new AbortError(`request aborted (${where})`, { method: ctx.method, url: ctx.url }, { cause: err });
  }
  if (
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT' ||
    e?.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    e?.name === 'TimeoutError'
  ) {
    return new TimeoutError(
      `request timed out (${where})`,
      { method: ctx.method, url: ctx.url },
      {
        cause: err,
        retryable: true,
      },
    );
  }
  const code = e?.code ? `${e.code}: ` : '';
  return new ConnectionError(
    `connection failed (${where}): ${code}${e?.message ?? String(err)}`,
    { method: ctx.method, url: ctx.url },
    { cause: err, retryable: true },
  );
}

/** Reads a (small) error body as JSON when it is JSON, else as text; never throws. */
export async function readErrorBody(body: AsyncIterable<unknown>, limit = 64 * 1024): Promise<unknown> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const buf = chunk as Buffer;
      if (size < limit) chunks.push(buf);
      size += buf.length;
    }
    const text = Buffer.concat(chunks).toString('utf8').slice(0, limit);
    if (!text) return undefined;
    try {
      return redactValue(JSON.parse(text));
    } catch {
      return redactValue(text);
    }
  } catch {
    return undefined;
  }
}

export class HttpTransport {
  readonly rateLimits = new RateLimitTracker();
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #opts: TransportOptions;
  readonly #breakers: HostCircuitBreakers;
  /** Attempts of a request that sets no retry policy of its own. */
  readonly #maxAttempts: number;
  readonly #hooks: TransportHooks[];
  readonly #recorder: CassetteRecorder | undefined;
  readonly #player: CassettePlayer | undefined;

  constructor(opts: TransportOptions = {}) {
    // First: a bad maxRetries or DOCKERHUB_MAX_RETRIES throws before a connection pool exists to leak.
    this.#maxAttempts = defaultMaxAttempts(opts.maxRetries);
    this.#opts = opts;
    const cassette = cassetteMode(opts);
    this.#recorder = cassette.recorder;
    this.#player = cassette.player;
    this.#ownsDispatcher = !opts.dispatcher;
    this.#dispatcher =
      opts.dispatcher ??
      new Agent({
        connections: opts.connections ?? 16,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 120_000,
      });
    this.#breakers = new HostCircuitBreakers(opts.circuitBreaker);
    this.#hooks = [...(opts.hooks ?? [])];
  }

  get logger(): Logger {
    return this.#opts.logger ?? getLogger();
  }

  addHook(hook: TransportHooks): void {
    this.#hooks.push(hook);
  }

  /**
   * Sends a request and returns the response whatever its status (after retries and redirects).
   * Use `request` to get a typed error for statuses >= 400.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method.toUpperCase();
    const retry = resolveRetryOptions(req.retry ?? this.#opts.retry, this.#maxAttempts);
    const canRetry = (req.idempotent ?? IDEMPOTENT.has(method)) && isReplayable(req.body);
    const maxAttempts = canRetry ? retry.maxAttempts : 1;
    let lastError: DockerHubError | undefined;

    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.#sendFollowingRedirects(req, method, attempt);
      } catch (err) {
        const mapped = mapTransportError(err, { method, url: String(req.url), signal: req.signal });
        if (!mapped.retryable || attempt + 1 >= maxAttempts || mapped instanceof AbortError) throw mapped;
        lastError = mapped;
        const delay = backoffDelay(attempt, retry, this.#opts.random);
        this.logger.debug({ attempt, delay, error: mapped.message }, 'retrying after transport error');
        await (this.#opts.sleep ?? sleep)(delay, req.signal);
        continue;
      }
      if (!isRetryableStatus(res.status) || attempt + 1 >= maxAttempts) return res;

      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      if (retryAfter !== undefined && retryAfter > retry.maxRetryAfterMs) return res; // too long to wait: let the caller decide
      const delay = retryAfter ?? backoffDelay(attempt, retry, this.#opts.random);
      await res.body.dump().catch(() => undefined);
      this.logger.debug(
        { attempt, delay, status: res.status, url: redactUrl(res.url) },
        'retrying after status',
      );
      await (this.#opts.sleep ?? sleep)(delay, req.signal);
    }
    // Unreachable: the loop either returns or throws on its last attempt.
    throw lastError ?? new ConnectionError('request failed');
  }

  /** Like `send`, but a status >= 400 becomes a typed error carrying the body's message. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const res = await this.send(req);
    if (res.status < 400) return res;
    throw await this.toError(res);
  }

  /** Builds the typed error for a failed response and consumes its body. */
  async toError(res: HttpResponse): Promise<HttpError> {
    const body = res.method === 'HEAD' ? undefined : await readErrorBody(res.body);
    if (res.method === 'HEAD') await res.body.dump().catch(() => undefined);
    return makeHttpError({
      status: res.status,
      method: res.method,
      url: res.url,
      requestId: res.requestId,
      body,
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
      headers: redactHeaders(res.headers),
    });
  }

  async #sendFollowingRedirects(req: HttpRequest, method: string, attempt: number): Promise<HttpResponse> {
    let url = new URL(String(req.url));
    const origin = url.origin;
    let headers = this.#baseHeaders(req.headers);
    let body = req.body;
    let currentMethod = method;
    const maxRedirects = req.followRedirects === false ? 0 : (this.#opts.maxRedirects ?? 5);

    for (let hop = 0; ; hop++) {
      const res = await this.#sendOnce(url, currentMethod, headers, body, req, attempt);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location || hop >= maxRedirects) return res;
      await res.body.dump().catch(() => undefined);
      const next = new URL(location, url);
      if (next.origin !== origin) {
        // Never hand our registry credentials to the storage backend or CDN we are sent to.
        const { authorization: _dropped, cookie: _cookie, ...rest } = headers;
        headers = rest;
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && currentMethod === 'POST')) {
        currentMethod = currentMethod === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        const { 'content-type': _ct, 'content-length': _cl, ...rest } = headers;
        headers = rest;
      }
      url = next;
    }
  }

  #baseHeaders(extra: Record<string, string | undefined> | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.#opts.userAgent ?? DEFAULT_USER_AGENT };
    for (const [k, v] of Object.entries(extra ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
    return headers;
  }

  async #sendOnce(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: RequestBody,
    req: HttpRequest,
    attempt: number,
  ): Promise<HttpResponse> {
    if (req.signal?.aborted) throw new AbortError('request aborted', { method, url: url.toString() });
    const timeout = req.timeoutMs ?? this.#opts.timeoutMs ?? 60_000;
    for (const h of this.#hooks) h.onRequest?.({ method, url: url.toString(), headers, attempt });
    const started = performance.now();
    const res = this.#player
      ? this.#replay(url, method, body)
      : await this.#breakers.run(
          url.host,
          () => this.#dispatch(url, method, headers, body, req, timeout),
          (r) => r.status >= 500,
        );
    if (this.#recorder) await this.#record(res, body);
    this.rateLimits.record(res.rateLimit);
    if (res.rateLimit) recordRateLimit(res.rateLimit.kind, res.rateLimit.remaining);
    const durationMs = Math.round(performance.now() - started);
    const info = { status: res.status, headers: res.headers, url: res.url, method, requestId: res.requestId };
    for (const h of this.#hooks) h.onResponse?.({ ...info, rateLimit: res.rateLimit, attempt, durationMs });
    this.logger.debug({ method, url: redactUrl(res.url), status: res.status, durationMs, attempt }, 'http');
    return res;
  }

  async #dispatch(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: RequestBody,
    req: HttpRequest,
    timeout: number,
  ): Promise<HttpResponse> {
    const r = await undiciRequest(url, {
      method: method as Dispatcher.HttpMethod,
      headers,
      body: body ?? undefined,
      signal: req.signal,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      dispatcher: this.#dispatcher,
    });
    return this.#response(url, method, r.statusCode, flattenHeaders(r.headers), r.body);
  }

  #response(
    url: URL,
    method: string,
    status: number,
    headers: Record<string, string>,
    body: ResponseBody,
  ): HttpResponse {
    return {
      status,
      headers,
      url: url.toString(),
      method,
      body,
      requestId: REQUEST_ID_HEADERS.map((h) => headers[h]).find((v) => v),
      rateLimit: parseRateLimit(headers),
    };
  }

  #replay(url: URL, method: string, body: RequestBody): HttpResponse {
    const hit = (this.#player as CassettePlayer).take({ method, url: url.toString(), body });
    return this.#response(url, method, hit.status, hit.headers, hit.body);
  }

  /** Reads the whole body (cassettes hold complete interactions) and hands the caller a buffered copy. */
  async #record(res: HttpResponse, body: RequestBody): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    const buffer = Buffer.concat(chunks);
    (this.#recorder as CassetteRecorder).record(
      { method: res.method, url: res.url, body },
      { status: res.status, headers: res.headers, body: buffer },
    );
    res.body = new BufferedBody(buffer);
  }

  async close(): Promise<void> {
    // A closed client's cassette is complete: write it now rather than only at process exit.
    this.#recorder?.flush();
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }
}

export function responseInfo(res: HttpResponse): ResponseInfo {
  return {
    status: res.status,
    headers: res.headers,
    url: res.url,
    method: res.method,
    requestId: res.requestId,
    rateLimit: res.rateLimit,
  };
}
