/**
 * Typed errors. Every failure the toolkit raises is a `DockerHubError`; HTTP failures are built by
 * `makeHttpError` so that callers can `instanceof`-check by status (as Stainless SDKs do).
 * Messages and URLs are redacted at construction, so an error can be logged or printed as is.
 */
import { redactText, redactUrl } from './redact.js';

export interface HttpErrorContext {
  status?: number;
  method?: string;
  url?: string;
  requestId?: string;
  /** Error code from the body (OCI `errors[].code`, Hub `errinfo`, GraphQL `extensions.code`). */
  code?: string;
  /** Parsed body (JSON) or a short text excerpt; redacted. */
  body?: unknown;
  retryAfterMs?: number;
  headers?: Record<string, string>;
}

export class DockerHubError extends Error {
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly requestId: string | undefined;
  readonly code: string | undefined;
  readonly body: unknown;
  /** True when repeating the same request later may succeed. */
  readonly retryable: boolean;

  constructor(
    message: string,
    ctx: HttpErrorContext = {},
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(redactText(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = ctx.status;
    this.method = ctx.method;
    this.url = ctx.url === undefined ? undefined : redactUrl(ctx.url);
    this.requestId = ctx.requestId;
    this.code = ctx.code;
    this.body = ctx.body;
    this.retryable = options?.retryable ?? false;
  }

  /** A plain object for `--json` output and MCP results; never contains credentials. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      method: this.method,
      url: this.url,
      requestId: this.requestId,
      code: this.code,
      retryable: this.retryable,
    };
  }
}

// ---- HTTP status errors -------------------------------------------------------------------------

export class HttpError extends DockerHubError {}
export class BadRequestError extends HttpError {}
export class AuthenticationError extends HttpError {}
export class PermissionDeniedError extends HttpError {}
export class NotFoundError extends HttpError {}
export class MethodNotAllowedError extends HttpError {}
export class ConflictError extends HttpError {}
export class RangeNotSatisfiableError extends HttpError {}
export class UnprocessableEntityError extends HttpError {}
export class RateLimitError extends HttpError {
  /** How long the server asked us to wait, when it said so (`Retry-After`). */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, ctx: HttpErrorContext = {}, options?: { cause?: unknown }) {
    super(message, ctx, { ...options, retryable: true });
    this.retryAfterMs = ctx.retryAfterMs;
  }
}
export class InternalServerError extends HttpError {}

// ---- Transport errors ---------------------------------------------------------------------------

export class ConnectionError extends DockerHubError {}
export class TimeoutError extends ConnectionError {}
/** The caller aborted the request through its AbortSignal. Never retried. */
export class AbortError extends DockerHubError {}
/** The per-host circuit breaker is open: recent requests to this host kept failing. */
export class CircuitOpenError extends ConnectionError {}

// ---- Domain errors ------------------------------------------------------------------------------

export class InvalidReferenceError extends DockerHubError {}
export class DigestMismatchError extends DockerHubError {
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string, what = 'content') {
    super(`digest mismatch for ${what}: expected ${expected}, got ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}
export class DestructiveOperationBlockedError extends DockerHubError {
  readonly operation: string;
  constructor(operation: string) {
    super(
      `${operation} is destructive and is blocked; set DOCKERHUB_ALLOW_DESTRUCTIVE=true (SDK option allowDestructive: true) to allow it`,
    );
    this.operation = operation;
  }
}
export class UnsupportedError extends DockerHubError {}
/** Replay mode: the cassette holds no recorded interaction for this request. */
export class CassetteMissError extends DockerHubError {}
/** Bad input caught before any request is sent (a flag, a file, a platform string). */
export class ValidationError extends DockerHubError {}
/** The server answered with a body the SDK cannot read at all, e.g. HTML where JSON was expected. */
export class InvalidResponseError extends DockerHubError {}

const STATUS_CLASSES: Record<
  number,
  new (
    m: string,
    c: HttpErrorContext,
    o?: { retryable?: boolean },
  ) => HttpError
> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  416: RangeNotSatisfiableError,
  422: UnprocessableEntityError,
};

/** Pulls a readable message and an error code out of the many error body shapes we meet. */
export function describeErrorBody(body: unknown): { message?: string; code?: string } {
  if (body === null || body === undefined) return {};
  if (typeof body === 'string') {
    const text = body.trim();
    return text ? { message: text.length > 300 ? `${text.slice(0, 300)}…` : text } : {};
  }
  if (typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  // OCI distribution: { errors: [{ code, message, detail }] }
  if (Array.isArray(b.errors) && b.errors.length > 0) {
    const parts: string[] = [];
    let code: string | undefined;
    for (const e of b.errors as Array<Record<string, unknown>>) {
      if (!e || typeof e !== 'object') continue;
      code ??= typeof e.code === 'string' ? e.code : undefined;
      const msg = typeof e.message === 'string' ? e.message : typeof e.code === 'string' ? e.code : '';
      // GraphQL errors carry the code under extensions.
      const ext = e.extensions as Record<string, unknown> | undefined;
      if (!code && ext && typeof ext.code === 'string') code = ext.code;
      if (msg) parts.push(msg);
    }
    return { message: parts.join('; ') || undefined, code };
  }
  const message =
    (typeof b.detail === 'string' && b.detail) ||
    (typeof b.message === 'string' && b.message) ||
    (typeof b.error_description === 'string' && b.error_description) ||
    (typeof b.error === 'string' && b.error) ||
    undefined;
  let code: string | undefined;
  if (typeof b.errinfo === 'object' && b.errinfo) {
    const info = b.errinfo as Record<string, unknown>;
    code = typeof info.code === 'string' ? info.code : undefined;
  }
  if (!code && typeof b.code === 'string') code = b.code;
  // SCIM (RFC 7644): { schemas, status, detail, scimType }
  if (!code && typeof b.scimType === 'string') code = b.scimType;
  if (!code && typeof b.error === 'string' && b.error !== message) code = b.error;
  return { message, code };
}

/** The single factory that maps an HTTP failure to its typed error. */
export function makeHttpError(ctx: HttpErrorContext & { status: number }): HttpError {
  const { message: bodyMessage, code } = describeErrorBody(ctx.body);
  const where = ctx.method && ctx.url ? ` (${ctx.method} ${redactUrl(ctx.url)})` : '';
  const message = `${ctx.status} ${bodyMessage ?? statusText(ctx.status)}${where}`;
  const full = { ...ctx, code: ctx.code ?? code };
  if (ctx.status === 429) return new RateLimitError(message, full);
  if (ctx.status >= 500) return new InternalServerError(message, full, { retryable: true });
  const Cls = STATUS_CLASSES[ctx.status] ?? HttpError;
  return new Cls(message, full, { retryable: false });
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    416: 'Range Not Satisfiable',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return texts[status] ?? 'HTTP error';
}
