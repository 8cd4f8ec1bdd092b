/**
 * The HTTP surface, in the order each request meets it:
 *   /health                       200 without auth and without information (for load balancers)
 *   Host / Origin allow-lists     403
 *   RFC 9728 metadata (OAuth)     the protected-resource document, public
 *   authentication                401 / 403 with the Bearer challenge (MCP endpoint and /metrics)
 *   /metrics                      Prometheus text
 *   /mcp                          X-MCP-Tools / X-MCP-Readonly (400 for a bad name), then the SDK's
 *                                 stateless handler (both protocol eras; 413 past the body limit,
 *                                 before anything is parsed)
 * Every answer is counted in the served-requests metric by route and status; nothing here logs a header.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import { ValidationError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { redactText } from '../../core/redact.js';
import { prometheusText, recordServedRequest } from '../../core/telemetry.js';
import type { ExposedTool } from '../selection.js';
import type { Authenticator } from './auth.js';
import { hostAndOriginGuard } from './guards.js';
import { nodeHeaders, requestTools, webHeaders } from './narrowing.js';
import { sendJson, sendJsonRpcError, sendText, sendWebResponse } from './responses.js';
import type { HttpConfig } from './settings.js';

export const MCP_PATH = '/mcp';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS', 'PUT', 'PATCH']);

export interface RoutesOptions {
  http: HttpConfig;
  auth: Authenticator;
  tools: readonly ExposedTool[];
  build(tools: readonly ExposedTool[]): McpServer;
  logger: Logger;
}

export interface Routes {
  listener: RequestListener;
  /** Ends the MCP exchanges still open (streams, calls in flight). */
  close(): Promise<void>;
}

function routeOf(path: string, metadataPaths: readonly string[]): string {
  if (path === MCP_PATH || path === `${MCP_PATH}/`) return MCP_PATH;
  if (path === '/health' || path === '/metrics') return path;
  if (metadataPaths.includes(path)) return '/.well-known/oauth-protected-resource';
  return 'other';
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  sendJson(res, 405, { error: 'method not allowed' }, { allow });
}

export function createRoutes(opts: RoutesOptions): Routes {
  const { http, auth, logger } = opts;
  const guard = hostAndOriginGuard(http.allowedHosts, http.allowedOrigins);
  const metadataPaths = auth.metadata?.paths ?? [];
  const onerror = (err: Error) =>
    logger.warn({ error: redactText(err.message) }, 'MCP request failed in the SDK handler');
  const mcp = createMcpHandler(
    ({ requestInfo }) => opts.build(requestTools(opts.tools, webHeaders(requestInfo))),
    {
      maxRequestBodySize: http.maxBodyBytes,
      onerror,
    },
  );
  const serveMcp = toNodeHandler(mcp, { maxRequestBodySize: http.maxBodyBytes, onerror });

  /** Runs the auth gate; false when it has answered (401/403/500). */
  const authenticate = async (req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse) => {
    const outcome = await auth.check(req);
    if (outcome instanceof Response) {
      await sendWebResponse(res, outcome);
      return false;
    }
    if (outcome) req.auth = outcome;
    return true;
  };

  const handle = async (req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, route: string) => {
    const method = req.method ?? 'GET';
    if (route === '/health') {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return sendJson(res, 200, { status: 'ok' });
    }
    if (!guard(req, res)) return;
    if (route === '/.well-known/oauth-protected-resource' && auth.metadata) {
      const cors = { 'access-control-allow-origin': '*' };
      if (method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD, OPTIONS' });
        return void res.end();
      }
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD, OPTIONS');
      return sendJson(res, 200, auth.metadata.document, { ...cors, 'cache-control': 'max-age=300' });
    }
    if (route === 'other') return sendJson(res, 404, { error: 'not found' });
    if (!(await authenticate(req, res))) return;
    if (route === '/metrics') {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      return sendText(res, 200, await prometheusText(), 'text/plain; version=0.0.4; charset=utf-8');
    }
    try {
      // Checked here so a bad header is a 400; the SDK's factory then narrows the same way.
      requestTools(opts.tools, nodeHeaders(req.headers));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return sendJsonRpcError(res, 400, err.message);
    }
    await serveMcp(req, res);
  };

  const listener: RequestListener = (req, res) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(path, metadataPaths);
    const method = METHODS.has(req.method ?? '') ? req.method! : 'OTHER';
    res.once('finish', () => {
      recordServedRequest('mcp-http', `${method} ${route}`, res.statusCode);
      logger.debug({ method, route, status: res.statusCode, ms: Date.now() - started }, 'http request');
    });
    handle(req, res, route).catch((err: unknown) => {
      logger.error(
        { error: redactText(err instanceof Error ? err.message : String(err)) },
        'http handler failed',
      );
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  };

  return { listener, close: () => mcp.close() };
}
