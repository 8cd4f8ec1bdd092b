/**
 * The HTTP transport under test: `startHttpServer` on an ephemeral loopback port, configured through
 * `readConfig` exactly as the executable is, serving against the emulator; real SDK clients over
 * StreamableHTTPClientTransport (2025-era, negotiated, or pinned to 2026-07-28) and raw node:http
 * requests for what a client would never send. Every response body and log line is kept for the
 * sentinel-secret check.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { ToolSpec } from '../../src/mcp/action.js';
import { readConfig } from '../../src/mcp/config.js';
import { type RunningHttpServer, startHttpServer } from '../../src/mcp/http/serve.js';
import { ALL_TOOLS, createDockerHubMcpServer, McpClients, selectTools } from '../../src/mcp/index.js';
import { SENTINEL } from './harness.js';

/** The bearer token of the servers under test: a second secret that must never show up either. */
export const TOKEN = 'mcp-token-SENTINEL-0123456789abcdef';

export interface HttpUnderTest {
  server: RunningHttpServer;
  /** http://127.0.0.1:PORT (no path). */
  origin: string;
  url: string;
  /** Lines the server wrote to its stderr channel (start-up). */
  stderr: string[];
  /** Every response body the tests read and every log line. */
  transcript: string[];
  clients: McpClients;
  close(): Promise<void>;
}

export interface HttpStartOptions {
  /** Extra flags after `--transport http --port 0`. */
  argv?: string[];
  /** The environment readConfig sees (default: MCP_AUTH_TOKEN=TOKEN). */
  env?: Record<string, string>;
  /** What the server can serve (default ALL_TOOLS). */
  catalogue?: readonly ToolSpec[];
}

export async function startHttp(emu: RunningEmulator, opts: HttpStartOptions = {}): Promise<HttpUnderTest> {
  const transcript: string[] = [];
  const stderr: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      transcript.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination: logStream });
  const env = opts.env ?? { MCP_AUTH_TOKEN: TOKEN };
  const config = readConfig(['--transport', 'http', '--port', '0', ...(opts.argv ?? [])], env);
  const clients = new McpClients({
    hubUrl: emu.url,
    credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
    allowDestructive: config.clients.allowDestructive,
    logger,
    retry: false,
  });
  const tools = selectTools(opts.catalogue ?? ALL_TOOLS, { ...config.filter, env: {} });
  const build = (selected: typeof tools) =>
    createDockerHubMcpServer({ clients, tools: selected, logger, limits: config.limits });
  const server = await startHttpServer({
    config,
    clients,
    tools,
    build,
    log: (t) => stderr.push(t),
    logger,
    graceMs: 2_000,
  });
  const origin = new URL(server.url).origin;
  return {
    server,
    origin,
    url: server.url,
    stderr,
    transcript,
    clients,
    async close() {
      await server.close();
      await clients.close();
      logStream.end();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** A body; a string, or chunks written one after another (chunked, no Content-Length). */
  body?: string | string[];
}

/** One request with exactly the headers given (node:http adds only Host unless told otherwise). */
export function raw(under: HttpUnderTest, req: RawRequest = {}): Promise<RawResponse> {
  const target = new URL(req.path ?? '/mcp', under.origin);
  return new Promise((resolve, reject) => {
    const r = httpRequest(target, { method: req.method ?? 'POST', headers: req.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        under.transcript.push(body);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    if (Array.isArray(req.body)) {
      const chunks = [...req.body];
      const next = () => {
        const chunk = chunks.shift();
        if (chunk === undefined) return void r.end();
        // The server may answer (413) and close before every chunk is out; that is the point.
        if (!r.write(chunk)) r.once('drain', next);
        else setImmediate(next);
      };
      next();
    } else r.end(req.body);
  });
}

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** The headers a streamable HTTP client sends with a JSON-RPC POST. */
export function mcpHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra };
}

export const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

export type Negotiation = 'legacy' | 'auto' | 'modern';

/** A real SDK client over streamable HTTP; its responses go into the transcript. */
export async function httpClient(
  under: HttpUnderTest,
  opts: { negotiation?: Negotiation; headers?: Record<string, string> } = {},
): Promise<Client> {
  const negotiation = opts.negotiation ?? 'legacy';
  const client = new Client(
    { name: 'http-test', version: '1.0.0' },
    negotiation === 'legacy'
      ? {}
      : {
          versionNegotiation: { mode: negotiation === 'auto' ? 'auto' : { pin: '2026-07-28' } },
        },
  );
  const recordingFetch = async (url: string | URL, init?: RequestInit) => {
    const res = await fetch(url, init);
    res
      .clone()
      .text()
      .then((t) => under.transcript.push(t))
      .catch(() => undefined);
    return res;
  };
  await client.connect(
    new StreamableHTTPClientTransport(new URL(under.url), {
      requestInit: { headers: opts.headers ?? bearer() },
      fetch: recordingFetch,
    }),
  );
  return client;
}

/** Asserts no secret (the Docker Hub password, the MCP token) is in anything recorded. */
export function expectNoSecrets(under: HttpUnderTest): void {
  expect(under.transcript.length + under.stderr.length, 'nothing was recorded').toBeGreaterThan(0);
  for (const secret of [SENTINEL, TOKEN]) {
    const leaks = [...under.transcript, ...under.stderr].filter((t) => t.includes(secret));
    expect(leaks, 'a secret leaked').toEqual([]);
  }
}
