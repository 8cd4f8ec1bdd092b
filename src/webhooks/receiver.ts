/**
 * A webhook receiver: an HTTP server on 127.0.0.1 (elsewhere only when asked) that accepts POSTed
 * deliveries and answers
 *   200 accepted · 400 malformed payload (naming the field) · 401 bad signature or secret path ·
 *   405 not a POST · 409 replay · 413 body too large · 503 consumer overloaded (with Retry-After),
 * emitting `event` for each accepted delivery and `rejected` for each refused one. Each delivery is an
 * OpenTelemetry span `docker.webhook.receive` (repository, tag, pusher; never the secret).
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  HttpError,
  MethodNotAllowedError,
  ValidationError,
} from '../core/errors.js';
import { getLogger, type Logger } from '../core/logger.js';
import type { Secret } from '../core/secret.js';
import {
  enablePrometheus,
  instrument,
  recordServedRequest,
  serveMetrics,
  type TelemetryAttributes,
} from '../core/telemetry.js';
import { parseWebhookPayload } from './parse.js';
import { ReplayGuard } from './replay.js';
import {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  safeEqual,
  verifyWebhookSignature,
  webhookSecret,
} from './signature.js';
import type { WebhookEvent } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const MAX_DELIVERY_ID_LENGTH = 200;

export interface WebhookReceiverOptions {
  /** Address to bind. Default 127.0.0.1; anything else exposes the receiver beyond this machine. */
  host?: string;
  /** Default 0: any free port (see `listen()`'s result). */
  port?: number;
  /**
   * Shared secret (at least 16 characters). Deliveries must then carry a valid `X-Hub-Signature-256`
   * header or, with `secretPath`, be posted to `/hooks/<secret>`. Without it anyone who can reach the
   * receiver can post events.
   */
  secret?: string | Secret;
  /** Authenticate by the URL path `/hooks/<secret>` instead of a signature (for senders that cannot sign). */
  secretPath?: boolean;
  /** Largest accepted body in bytes (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** A delivery seen again within this window is refused with 409 (default 10 minutes). */
  replayWindowMs?: number;
  /** Most deliveries remembered for replay protection (default 10,000). */
  replayCapacity?: number;
  /** When this returns true, valid deliveries are refused with 503 + Retry-After so the sender retries. */
  overloaded?: () => boolean;
  /** Time limit for receiving a whole request (default 30 s). */
  requestTimeoutMs?: number;
  /** Default: the process-wide logger (silent unless DOCKERHUB_LOG_LEVEL is set). */
  logger?: Logger;
  /** Serve `GET /metrics` (Prometheus text of this process's metrics; no secrets). Default true. */
  metrics?: boolean;
}

export interface Rejection {
  /** The HTTP status sent back. */
  status: number;
  /** One line, safe to print: never contains the secret or body values. */
  reason: string;
  deliveryId?: string;
  remoteAddress?: string;
}

export interface ListenInfo {
  host: string;
  port: number;
  /** `http://host:port/` — without the secret path, which callers append themselves. */
  url: string;
}

class PayloadTooLargeError extends HttpError {}
class OverloadedError extends HttpError {}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const tooLarge = () => new PayloadTooLargeError(`body larger than ${max} bytes`, { status: 413 });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class WebhookReceiver extends EventEmitter<{ event: [WebhookEvent]; rejected: [Rejection] }> {
  readonly server: Server;
  readonly #opts: WebhookReceiverOptions;
  readonly #secret: Secret | undefined;
  readonly #replays: ReplayGuard;
  readonly #maxBody: number;
  readonly #log: Logger;
  #inFlight = 0;

  constructor(opts: WebhookReceiverOptions = {}) {
    super();
    if (opts.secretPath && opts.secret === undefined) {
      throw new ValidationError('secretPath needs a secret');
    }
    const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    if (!Number.isInteger(maxBody) || maxBody < 1) {
      throw new ValidationError(`maxBodyBytes must be a positive integer, got ${maxBody}`);
    }
    this.#opts = opts;
    this.#maxBody = maxBody;
    this.#secret = opts.secret === undefined ? undefined : webhookSecret(opts.secret);
    this.#replays = new ReplayGuard({ windowMs: opts.replayWindowMs, capacity: opts.replayCapacity });
    this.#log = opts.logger ?? getLogger();
    this.server = createServer((req, res) => {
      this.#inFlight++;
      res.once('close', () => this.#inFlight--);
      this.#handle(req, res).catch((err: unknown) => {
        this.#log.error(
          { error: err instanceof Error ? err.message : String(err) },
          'webhook handler failed',
        );
        if (!res.headersSent) this.#reply(res, 500, 'internal error');
      });
    });
    const timeout = opts.requestTimeoutMs ?? 30_000;
    this.server.requestTimeout = timeout;
    this.server.headersTimeout = Math.min(timeout, 10_000);
  }

  /** Starts listening; resolves with the address (the port is the real one when you asked for 0). */
  async listen(): Promise<ListenInfo> {
    if (this.#opts.metrics !== false) await enablePrometheus();
    const host = this.#opts.host ?? '127.0.0.1';
    const port = this.#opts.port ?? 0;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        const why =
          err.code === 'EADDRINUSE'
            ? 'the address is already in use'
            : err.code === 'EACCES'
              ? 'permission denied'
              : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
                ? 'no such address on this machine'
                : err.message;
        reject(new ConnectionError(`cannot listen on ${host}:${port}: ${why}`, {}, { cause: err }));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.removeListener('error', onError);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const shown = address.address.includes(':') ? `[${address.address}]` : address.address;
    return { host: address.address, port: address.port, url: `http://${shown}:${address.port}/` };
  }

  /**
   * Stops accepting connections, lets deliveries in progress finish (up to `graceMs`, default 5 s),
   * then closes whatever is left.
   */
  async close(opts: { graceMs?: number } = {}): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => this.server.closeAllConnections(), opts.graceMs ?? 5_000);
    // Keep-alive connections that finish their request become idle: close them as they do.
    const sweep = setInterval(() => this.server.closeIdleConnections(), 50);
    try {
      await closed;
    } finally {
      clearTimeout(force);
      clearInterval(sweep);
    }
  }

  /** Deliveries being received right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  #reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    if (res.headersSent) return;
    recordServedRequest('webhooks', 'docker.webhook.receive', status);
    const body = JSON.stringify(status < 300 ? { ok: true } : { error: message });
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/metrics' && this.#opts.metrics !== false) {
      await serveMetrics(res);
      return;
    }
    const deliveryId = header(req, DELIVERY_HEADER);
    let event: WebhookEvent;
    try {
      event = await instrument('docker.webhook.receive', {}, (span) => this.#receive(req, span));
    } catch (err) {
      if (!(err instanceof HttpError) || err.status === undefined) throw err;
      const status = err.status;
      const extra: Record<string, string> = {};
      if (status === 405) extra.allow = 'POST';
      if (status === 503) extra['retry-after'] = '5';
      // An oversize body is not read to its end: close the connection after answering.
      if (status === 413) extra.connection = 'close';
      this.#reply(res, status, err.message, extra);
      const rejection: Rejection = {
        status,
        reason: err.message,
        ...(deliveryId && deliveryId.length <= MAX_DELIVERY_ID_LENGTH ? { deliveryId } : {}),
        ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
      };
      this.#log.info(rejection, 'webhook delivery rejected');
      this.emit('rejected', rejection);
      return;
    }
    this.#reply(res, 200, 'accepted');
    this.#log.debug(
      { kind: event.kind, repository: event.repository, deliveryId: event.deliveryId },
      'webhook delivery accepted',
    );
    try {
      this.emit('event', event);
    } catch (err) {
      this.#log.error(
        { error: err instanceof Error ? err.message : String(err) },
        'webhook event listener threw',
      );
    }
  }

  async #receive(
    req: IncomingMessage,
    span: { setAttributes(a: TelemetryAttributes): void },
  ): Promise<WebhookEvent> {
    if (req.method !== 'POST') {
      throw new MethodNotAllowedError('only POST is accepted', { status: 405 });
    }
    if (this.#secret && this.#opts.secretPath && !this.#pathMatches(req.url ?? '/', this.#secret)) {
      throw new AuthenticationError('wrong or missing secret path', { status: 401 });
    }
    const deliveryId = header(req, DELIVERY_HEADER);
    if (deliveryId !== undefined && (deliveryId.length === 0 || deliveryId.length > MAX_DELIVERY_ID_LENGTH)) {
      throw new BadRequestError(`${DELIVERY_HEADER} must be 1 to ${MAX_DELIVERY_ID_LENGTH} characters`, {
        status: 400,
      });
    }
    const body = await readBody(req, this.#maxBody);
    if (this.#secret && !this.#opts.secretPath) {
      if (!verifyWebhookSignature(body, header(req, SIGNATURE_HEADER), this.#secret)) {
        throw new AuthenticationError(`missing or invalid ${SIGNATURE_HEADER} signature`, { status: 401 });
      }
    }
    let event: WebhookEvent;
    try {
      event = parseWebhookPayload(body);
    } catch (err) {
      if (err instanceof ValidationError) throw new BadRequestError(err.message, { status: 400 });
      throw err;
    }
    span.setAttributes({
      repository: event.repository,
      'webhook.event': event.kind,
      tag: event.kind === 'repository_delete' ? undefined : (event.tag ?? undefined),
      pusher: event.kind === 'push' ? event.pusher : undefined,
      'webhook.delivery_id': deliveryId,
    });
    if (this.#opts.overloaded?.()) {
      throw new OverloadedError('busy: too many events waiting, retry later', { status: 503 });
    }
    if (!this.#replays.accept(body, deliveryId)) {
      throw new ConflictError('replayed delivery: already received', { status: 409 });
    }
    return deliveryId ? { ...event, deliveryId } : event;
  }

  #pathMatches(url: string, secret: Secret): boolean {
    let path = url.split('?')[0] ?? '/';
    try {
      path = decodeURIComponent(path);
    } catch {
      return false;
    }
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    return safeEqual(path, `/hooks/${secret.reveal()}`);
  }
}

/** A receiver, not yet listening: attach `event`/`rejected` listeners, then `await receiver.listen()`. */
export function createWebhookReceiver(opts: WebhookReceiverOptions = {}): WebhookReceiver {
  return new WebhookReceiver(opts);
}
