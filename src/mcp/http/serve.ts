/**
 * `dockerhub-mcp --transport http`: streamable HTTP (stateless, both protocol eras) on node:http, at
 * `/mcp`. Fail-closed: the configuration (settings.ts) refuses to start without authentication unless
 * told; here the server binds where configured (a warning when that is not loopback), says where it
 * listens on stderr, and stops gracefully, letting requests in flight finish for a moment.
 */
import { createServer, type RequestListener } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/server';
import { getLogger, type Logger } from '../../core/logger.js';
import { redactText } from '../../core/redact.js';
import { enablePrometheus } from '../../core/telemetry.js';
import type { McpClients } from '../clients.js';
import type { McpServerConfig } from '../config.js';
import type { ExposedTool } from '../selection.js';
import { createAuthenticator } from './auth.js';
import { listen } from './listen.js';
import { createRoutes, MCP_PATH } from './routes.js';
import { hostForUrl, isLoopbackBind } from './settings.js';

export interface HttpServeOptions {
  config: McpServerConfig;
  clients: McpClients;
  /** The tools the server was started with; a request may narrow them (headers), never widen. */
  tools: readonly ExposedTool[];
  /** Builds a server exposing the given tools (one per request: the endpoint is stateless). */
  build(tools: readonly ExposedTool[]): McpServer;
  /** One line at a time, to stderr. */
  log(text: string): void;
  logger?: Logger;
  /** How long requests in flight may take to finish on close before they are cut (default 5 s). */
  graceMs?: number;
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:8080/mcp (the real port when asked for 0). */
  url: string;
  close(): Promise<void>;
}

const AUTH_DESCRIPTION = { token: 'bearer token (MCP_AUTH_TOKEN)', oauth: 'OAuth JWTs', none: 'NONE' };

export async function startHttpServer(opts: HttpServeOptions): Promise<RunningHttpServer> {
  const { config } = opts;
  const { http } = config;
  const logger = opts.logger ?? getLogger();
  await enablePrometheus();

  let listener: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (listener) return listener(req, res);
    res.writeHead(503, { 'retry-after': '1' }).end();
  });
  // Slow senders cannot hold a connection open forever; SSE responses are not bound by these.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  const address = await listen(server, config.host, config.port);
  const url = `http://${hostForUrl(address.address)}:${address.port}${MCP_PATH}`;
  const resource = new URL(http.resourceUrl ?? url);
  const auth = createAuthenticator(http, resource, (err) =>
    logger.error(
      { error: redactText(err instanceof Error ? err.message : String(err)) },
      'OAuth: fetching the JWKS failed',
    ),
  );
  const routes = createRoutes({ http, auth, tools: opts.tools, build: opts.build, logger });
  listener = routes.listener;

  if (!isLoopbackBind(config.host))
    opts.log(
      `dockerhub-mcp: warning: listening on ${config.host}, reachable from other machines; serve it behind TLS\n`,
    );
  if (auth.mode === 'none')
    opts.log(
      `dockerhub-mcp: warning: --allow-unauthenticated: anyone who can reach ${url} acts with this server's Docker Hub credentials\n`,
    );
  const shown = http.resourceUrl && http.resourceUrl !== url ? ` (public URL ${http.resourceUrl})` : '';
  opts.log(
    `dockerhub-mcp: listening on ${url}${shown} (streamable HTTP; auth: ${AUTH_DESCRIPTION[auth.mode]})\n`,
  );

  let closing: Promise<void> | undefined;
  const close = async () => {
    server.close();
    server.closeIdleConnections();
    // Connections finishing a request become idle: close them as they do, until the grace ends.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const drained = new Promise<void>((resolve) => server.once('close', () => resolve()));
    const grace = new Promise<void>((resolve) => setTimeout(resolve, opts.graceMs ?? 5_000).unref());
    try {
      await Promise.race([drained, grace]);
    } finally {
      clearInterval(sweep);
    }
    await routes.close();
    server.closeAllConnections();
    await drained;
  };
  return {
    url,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
