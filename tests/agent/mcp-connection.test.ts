/**
 * The agent's MCP client: in process through createMcpHandler's fetch (the 2026-07-28 revision), and
 * remote over real HTTP with a bearer token (revision negotiated). A confirmation the server asks for
 * reaches the call that caused it and nothing else; aborting a call reaches the server's handler (this is
 * how CancelTask stops a transfer under it).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, inputRequired, inputResponse, McpServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AgentMcp, connectMcp } from '../../src/agent/mcp-connection.js';
import { connectRemote } from '../../src/agent/mcp-source.js';

let aborted = false;
let started: () => void = () => {};

function testServer(): McpServer {
  const server = new McpServer({ name: 'test-mcp', version: '1.0.0' }, { capabilities: {} });
  server.registerTool(
    'slow',
    { description: 'Waits until cancelled.', inputSchema: z.object({}) },
    async (_args, ctx) =>
      new Promise((resolve) => {
        started();
        ctx.mcpReq.signal.addEventListener('abort', () => {
          aborted = true;
          resolve({ content: [{ type: 'text', text: 'aborted' }] });
        });
      }),
  );
  server.registerTool(
    'ask',
    { description: 'Asks the user to confirm.', inputSchema: z.object({}) },
    async (_args, ctx) => {
      // As dockerhub-mcp asks (confirm.ts): an input_required result, answered on the retried call.
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
      if (answer.kind === 'missing')
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: 'Really?',
              requestedSchema: {
                type: 'object',
                properties: { confirm: { type: 'boolean' } },
                required: ['confirm'],
              },
            }),
          },
        }) as never;
      return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
    },
  );
  return server;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** createMcpHandler behind a real node:http listener that checks a bearer token. */
async function httpMcp(token: string): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const handler = createMcpHandler(() => testServer());
  const server = createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const body = await readBody(req);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const response = await handler.fetch(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: body.length ? body : undefined,
        signal: controller.signal,
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await handler.close();
    },
  };
}

let mcp: AgentMcp | undefined;
afterEach(async () => {
  await mcp?.close();
  mcp = undefined;
  aborted = false;
});

const noElicit = async () => ({ action: 'decline' as const });

describe('the MCP connection', () => {
  it('in process: lists the tools, and routes a confirmation to the call that caused it', async () => {
    const handler = createMcpHandler(() => testServer());
    mcp = await connectMcp({
      url: new URL('http://in-process.test/mcp'),
      fetch: (url, init) => handler.fetch(new Request(url, init)),
      pin: '2026-07-28',
      source: 'in-process',
      onClose: () => handler.close(),
    });
    expect(mcp.tools().map((t) => t.name)).toEqual(['slow', 'ask']);
    const asked: string[] = [];
    const result = await mcp.call(
      'ask',
      {},
      {
        signal: new AbortController().signal,
        timeoutMs: 5000,
        onElicit: async (req) => {
          asked.push(String(req.message));
          return { action: 'accept', content: { confirm: true } };
        },
      },
    );
    expect(asked).toEqual(['Really?']);
    expect(JSON.parse((result.content[0] as { text: string }).text)).toMatchObject({ action: 'accept' });
  });

  it('aborting a call reaches the server, which stops what it was doing', async () => {
    const handler = createMcpHandler(() => testServer());
    mcp = await connectMcp({
      url: new URL('http://in-process.test/mcp'),
      fetch: (url, init) => handler.fetch(new Request(url, init)),
      pin: '2026-07-28',
      source: 'in-process',
      onClose: () => handler.close(),
    });
    const controller = new AbortController();
    const running = new Promise<void>((r) => {
      started = r;
    });
    const call = mcp.call('slow', {}, { signal: controller.signal, timeoutMs: 30_000, onElicit: noElicit });
    await running;
    controller.abort(new Error('the task was cancelled'));
    await expect(call).rejects.toThrow();
    for (let i = 0; i < 50 && !aborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toBe(true);
  });

  it('remote: over HTTP with the bearer token, and a clear error with a wrong one', async () => {
    const remote = await httpMcp('mcp-token-0123456789');
    try {
      mcp = await connectRemote(remote.url, 'mcp-token-0123456789');
      expect(mcp.source).toBe(remote.url);
      expect(mcp.tools().map((t) => t.name)).toEqual(['slow', 'ask']);
      const answered = await mcp.call(
        'ask',
        {},
        {
          signal: new AbortController().signal,
          timeoutMs: 5000,
          onElicit: async () => ({ action: 'decline' }),
        },
      );
      expect((answered.content[0] as { text: string }).text).toMatch(/decline/);
      await expect(connectRemote(remote.url, 'wrong-token-0123456789')).rejects.toThrow(
        new RegExp(`^cannot use the MCP server at ${remote.url.replace(/[.]/g, '\\.')}: `),
      );
    } finally {
      await mcp?.close();
      mcp = undefined;
      await remote.close();
    }
  });
});
