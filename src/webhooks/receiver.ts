/**
 * A webhook receiver: an HTTP server on 127.0.0.1 (elsewhere only when asked) that accepts POSTed
 * deliveries, refuses oversize bodies (413), bad signatures or secret paths (401), malformed payloads
 * (400, naming the field) and replays (409), and emits typed events.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { DockerHubError, ValidationError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { Secret } from '../core/secret.js';
import { parseWebhookPayload } from './parse.js';
import { ReplayGuard } from './replay.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, safeEqual, verifyWebhookSignature } from './signature.js';
import type { WebhookEvent } from './types.js';

export interface WebhookReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Shared secret: deliveries must be signed with it (or, with `secretPath`, posted to /hooks/<secret>). */
  secret?: string | Secret;
  /** Authenticate by a secret URL path instead of a signature header (for senders that cannot sign). */
  secretPath?: boolean;
  /** Largest accepted body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Replays within this window are refused (default 10 minutes). */
  replayWindowMs?: number;
}

export interface Rejection {
  status: number;
  reason: string;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class WebhookReceiver extends EventEmitter<{ event: [WebhookEvent]; rejected: [Rejection] }> {
  readonly server: Server;
  readonly #opts: WebhookReceiverOptions;
  readonly #secret: Secret | undefined;
  readonly #replays: ReplayGuard;

  constructor(opts: WebhookReceiverOptions = {}) {
    super();
    this.#opts = opts;
    this.#secret = opts.secret === undefined ? undefined : Secret.from(opts.secret);
    this.#replays = new ReplayGuard(opts.replayWindowMs);
    this.server = createServer((req, res) => {
      this.#handle(req, res).catch((err) => {
        getLogger().error({ error: (err as Error).message }, 'webhook handler failed');
        if (!res.headersSent) this.#reply(res, 500, 'internal error');
      });
    });
  }

  async listen(): Promise<{ host: string; port: number; url: string }> {
    const host = this.#opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.#opts.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const shown = host.includes(':') ? `[${host}]` : host;
    return { host, port, url: `http://${shown}:${port}/` };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #reply(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status < 300 ? { ok: true } : { error: message }));
  }

  #reject(res: ServerResponse, status: number, reason: string): void {
    this.emit('rejected', { status, reason });
    this.#reply(res, status, reason);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const tracer = trace.getTracer('dockerhub-api');
    await tracer.startActiveSpan('docker.webhook.receive', async (span) => {
      try {
        if (req.method !== 'POST') return this.#reject(res, 405, 'only POST is accepted');
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        if (this.#secret && this.#opts.secretPath) {
          if (!safeEqual(path, `/hooks/${this.#secret.reveal()}`))
            return this.#reject(res, 401, 'unknown path');
        }
        let body: Buffer;
        try {
          body = await readBody(req, this.#opts.maxBodyBytes ?? 1024 * 1024);
        } catch (err) {
          if (err instanceof BodyTooLarge) {
            res.setHeader('connection', 'close');
            return this.#reject(res, 413, 'body too large');
          }
          throw err;
        }
        if (this.#secret && !this.#opts.secretPath) {
          const header = req.headers[SIGNATURE_HEADER];
          if (!verifyWebhookSignature(body, Array.isArray(header) ? header[0] : header, this.#secret)) {
            return this.#reject(res, 401, 'missing or invalid signature');
          }
        }
        let event: WebhookEvent;
        try {
          event = parseWebhookPayload(body);
        } catch (err) {
          if (err instanceof ValidationError) return this.#reject(res, 400, err.message);
          throw err;
        }
        const delivery = req.headers[DELIVERY_HEADER];
        if (!this.#replays.accept(body, Array.isArray(delivery) ? delivery[0] : delivery)) {
          return this.#reject(res, 409, 'replayed delivery');
        }
        span.setAttributes({
          repository: event.repository,
          'webhook.kind': event.kind,
          ...(event.tag ? { tag: event.tag } : {}),
          ...(event.kind === 'push' ? { pusher: event.pusher } : {}),
        });
        this.#reply(res, 202, 'accepted');
        this.emit('event', event);
      } catch (err) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: err instanceof DockerHubError ? err.name : 'Error',
        });
        throw err;
      } finally {
        span.end();
      }
    });
  }
}

export function createWebhookReceiver(opts: WebhookReceiverOptions = {}): WebhookReceiver {
  return new WebhookReceiver(opts);
}
