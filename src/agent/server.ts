/**
 * The agent's HTTP server (Express, with the A2A SDK's handlers):
 *   GET  /.well-known/agent-card.json   the card (public; 1.0 or 0.3 shape by A2A-Version)
 *   GET  /health                        200 {"status":"ok"} (public, says nothing else)
 *   POST /a2a/jsonrpc                   A2A JSON-RPC (SendMessage, SendStreamingMessage as SSE, GetTask,
 *                                       ListTasks, CancelTask, SubscribeToTask; 0.3 methods too)
 *   *    /a2a/rest/…                    A2A HTTP+JSON (1.0 routes, and 0.3's under /v1)
 *   GET  /…                             the web chat's static files, when there are any (public)
 * Fail-closed: loopback by default; with AGENT_AUTH_TOKEN every /a2a request needs it as a bearer token
 * (constant-time compare); Host names are checked on loopback (DNS rebinding); a browser Origin must be
 * the agent's own or one the operator listed (no wildcard CORS); strict CSP on the page.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AGENT_CARD_PATH,
  AgentCard,
  type Message,
  type SendMessageRequest,
  type StreamResponse,
  type Task,
} from '@a2a-js/sdk';
import { legacyAgentCardRouter } from '@a2a-js/sdk/compat/v0_3/server/express';
import { UnsupportedOperationError } from '@a2a-js/sdk/errors';
import {
  DefaultRequestHandler,
  type ServerCallContext,
  UnauthenticatedUser,
  type User,
} from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, restHandler, type UserBuilder } from '@a2a-js/sdk/server/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../core/logger.js';
import type { Secret } from '../core/secret.js';
import { JSONRPC_PATH, REST_PATH } from './card.js';
import { isLoopbackHost } from './config.js';

/** Content-Security-Policy of the chat page: its own scripts, styles and API only; no inline code. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

class TokenUser implements User {
  get isAuthenticated(): boolean {
    return true;
  }
  get userName(): string {
    return 'token-holder';
  }
}

/** The SDK's handler, refusing a message to a task that is still working (it would race the run). */
export class AgentRequestHandler extends DefaultRequestHandler {
  isBusy: (taskId: string | undefined) => boolean = () => false;

  #check(params: SendMessageRequest): void {
    const taskId = params.message?.taskId || undefined;
    if (this.isBusy(taskId))
      throw new UnsupportedOperationError(
        `Task ${taskId} is still working; wait for it to finish (or to ask for approval), or cancel it, then send again.`,
      );
  }

  override async sendMessage(
    params: SendMessageRequest,
    context: ServerCallContext,
  ): Promise<Message | Task> {
    this.#check(params);
    return super.sendMessage(params, context);
  }

  override async *sendMessageStream(
    params: SendMessageRequest,
    context: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    this.#check(params);
    yield* super.sendMessageStream(params, context);
  }
}

export interface AgentServerOptions {
  host: string;
  port: number;
  publicUrl: string;
  authToken?: Secret;
  allowedOrigins: readonly string[];
  requestHandler: DefaultRequestHandler;
  /** The web chat's files (index.html and its assets), served at `/` when the directory exists. */
  staticDir?: string;
  logger: Logger;
}

export interface RunningAgentServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1).toLowerCase();
  return hostHeader.split(':')[0]!.toLowerCase();
}

export function createAgentApp(opts: AgentServerOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const publicOrigin = new URL(opts.publicUrl).origin;
  const allowedHosts = new Set(['localhost', '127.0.0.1', '[::1]', hostName(new URL(opts.publicUrl).host)]);
  const checkHost = isLoopbackHost(opts.host);
  const expected = opts.authToken ? digest(`Bearer ${opts.authToken.reveal()}`) : undefined;
  const cors = new Set(opts.allowedOrigins);

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (checkHost && !allowedHosts.has(hostName(req.headers.host))) {
      res.status(403).json({ error: 'this Host is not served here' });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const own =
        origin === publicOrigin ||
        origin === `http://${req.headers.host}` ||
        origin === `https://${req.headers.host}`;
      if (!own && !cors.has(origin)) {
        res.status(403).json({ error: 'this Origin may not call the agent (AGENT_ALLOWED_ORIGINS)' });
        return;
      }
      if (!own) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Vary', 'Origin');
        res.setHeader(
          'Access-Control-Allow-Headers',
          'authorization, content-type, a2a-version, a2a-extensions',
        );
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
    }
    next();
  });

  app.get('/health', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  // 0.3 clients (no A2A-Version, or 0.3) get the 0.3 card from the SDK's translator. For 1.0 the card goes
  // out in its JSON form: the SDK's handler would stringify the object as is, and its oneof fields
  // (securitySchemes) would come out as {"scheme":{"$case":…}} instead of {"httpAuthSecurityScheme":…}.
  app.use(
    `/${AGENT_CARD_PATH}`,
    legacyAgentCardRouter({ agentCardProvider: opts.requestHandler, cache: { maxAge: 60 } }),
  );
  app.use(`/${AGENT_CARD_PATH}`, (_req, res, next) => {
    res.append('Vary', 'A2A-Version');
    next();
  });
  app.use(
    `/${AGENT_CARD_PATH}`,
    agentCardHandler({
      agentCardProvider: async () => AgentCard.toJSON(await opts.requestHandler.getAgentCard()) as AgentCard,
      cache: { maxAge: 60 },
    }),
  );

  const requireToken = (req: Request, res: Response, next: NextFunction) => {
    if (!expected) return next();
    const given = digest(req.headers.authorization ?? '');
    if (timingSafeEqual(given, expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="dockerhub-agent"');
    res
      .status(401)
      .json({ error: 'this request needs the agent token: Authorization: Bearer <AGENT_AUTH_TOKEN>' });
  };
  const userBuilder: UserBuilder = async () => (expected ? new TokenUser() : new UnauthenticatedUser());
  app.use('/a2a', requireToken);
  app.use(
    JSONRPC_PATH,
    jsonRpcHandler({ requestHandler: opts.requestHandler, userBuilder, legacyCompat: { enabled: true } }),
  );
  app.use(
    REST_PATH,
    restHandler({ requestHandler: opts.requestHandler, userBuilder, legacyCompat: { enabled: true } }),
  );

  if (opts.staticDir && existsSync(opts.staticDir) && statSync(opts.staticDir).isDirectory()) {
    app.use(
      express.static(opts.staticDir, {
        index: 'index.html',
        fallthrough: true,
        setHeaders: (res) => {
          res.setHeader('Content-Security-Policy', PAGE_CSP);
          res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
  } else {
    app.get('/', (_req, res) => {
      res.setHeader('Content-Security-Policy', PAGE_CSP);
      res
        .type('text/plain')
        .send(
          `dockerhub-agent — A2A at ${JSONRPC_PATH} (JSON-RPC) and ${REST_PATH} (HTTP+JSON); the card at /${AGENT_CARD_PATH}\n`,
        );
    });
  }
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // Errors the handlers did not answer (a malformed body…): a short message, never a stack.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    opts.logger.warn({ status }, 'request failed');
    if (!res.headersSent)
      res.status(status).json({ error: status === 413 ? 'request too large' : 'request failed' });
  });
  return app;
}

export async function startAgentServer(opts: AgentServerOptions): Promise<RunningAgentServer> {
  const app = createAgentApp(opts);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(opts.port, opts.host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  // Bound to every address: the URL to show (and put in the card, unless AGENT_PUBLIC_URL says) is loopback's.
  const shown =
    opts.host === '0.0.0.0' || opts.host === '::'
      ? '127.0.0.1'
      : opts.host.includes(':')
        ? `[${opts.host}]`
        : opts.host;
  return {
    url: `http://${shown}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
