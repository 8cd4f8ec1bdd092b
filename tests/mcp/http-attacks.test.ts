/**
 * What a hostile page or client can try against the HTTP transport, with raw node:http requests: DNS
 * rebinding (a Host naming another site), a cross-site Origin, bodies past the limit (declared or
 * streamed), and the order of the gates (nothing is read or parsed before the caller is known).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorFor, SENTINEL } from './harness.js';
import {
  bearer,
  expectNoSecrets,
  type HttpStartOptions,
  type HttpUnderTest,
  INITIALIZE,
  mcpHeaders,
  raw,
  startHttp,
} from './http-harness.js';

const emu = emulatorFor({
  users: [{ username: 'alice', password: SENTINEL, email: 'alice@example.test' }],
  repositories: [{ namespace: 'alice', name: 'app', tags: [] }],
});
let under: HttpUnderTest | undefined;

async function start(opts: HttpStartOptions = {}): Promise<HttpUnderTest> {
  under = await startHttp(emu(), opts);
  return under;
}

afterEach(async () => {
  if (under) {
    expectNoSecrets(under);
    await under.close();
    under = undefined;
  }
});

const toolsCall = JSON.stringify({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'hub_repos', arguments: { action: 'list', namespace: 'alice' } },
});

function toolCallsLogged(u: HttpUnderTest): number {
  return u.transcript.filter((t) => t.includes('"tool call"')).length;
}

describe('DNS rebinding and cross-site requests', () => {
  it.each([['evil.example.com'], ['evil.example.com:80'], ['127.0.0.1.evil.example.com'], ['localhost.']])(
    'a Host of %s is a 403 before authentication or any tool runs',
    async (host) => {
      const u = await start();
      const port = new URL(u.origin).port;
      const res = await raw(u, {
        body: toolsCall,
        headers: mcpHeaders({ ...bearer(), host: host.includes(':') ? host : `${host}:${port}` }),
      });
      expect(res.status).toBe(403);
      expect((res.json() as { error: { message: string } }).error.message).toMatch(/host/i);
      expect(toolCallsLogged(u)).toBe(0);
    },
  );

  it('accepts the loopback names clients use (localhost, 127.0.0.1, [::1]) with any port', async () => {
    const u = await start();
    for (const host of ['localhost:1', '127.0.0.1:65000', '[::1]:8080']) {
      const res = await raw(u, { body: INITIALIZE, headers: mcpHeaders({ ...bearer(), host }) });
      expect(res.status, host).toBe(200);
    }
  });

  it.each([['https://evil.example.com'], ['http://evil.example.com:8080'], ['null'], ['not a url']])(
    'an Origin of %s is a 403, even with the right token',
    async (origin) => {
      const u = await start();
      const res = await raw(u, { body: toolsCall, headers: mcpHeaders({ ...bearer(), origin }) });
      expect(res.status).toBe(403);
      expect((res.json() as { error: { message: string } }).error.message).toMatch(/origin/i);
      expect(toolCallsLogged(u)).toBe(0);
    },
  );

  it('lets a page on a loopback origin call in (the browser-based inspectors), with the token', async () => {
    const u = await start();
    const res = await raw(u, {
      body: INITIALIZE,
      headers: mcpHeaders({ ...bearer(), origin: 'http://localhost:6274' }),
    });
    expect(res.status).toBe(200);
  });

  it('takes its own lists: --allowed-hosts and --allowed-origins replace the defaults', async () => {
    const u = await start({
      argv: ['--allowed-hosts', 'mcp.example.com', '--allowed-origins', 'https://app.example.com'],
    });
    const ok = await raw(u, {
      body: INITIALIZE,
      headers: mcpHeaders({ ...bearer(), host: 'mcp.example.com', origin: 'https://app.example.com' }),
    });
    expect(ok.status).toBe(200);
    const loopback = await raw(u, { body: INITIALIZE, headers: mcpHeaders(bearer()) });
    expect(loopback.status).toBe(403);
    const otherPage = await raw(u, {
      body: INITIALIZE,
      headers: mcpHeaders({ ...bearer(), host: 'mcp.example.com', origin: 'http://localhost:3000' }),
    });
    expect(otherPage.status).toBe(403);
  });
});

describe('the request body limit', () => {
  const LIMIT = 4096;
  const big = (n: number) =>
    JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _pad: 'x'.repeat(n) } });

  it('answers 413 to a declared length past the limit, without reading it', async () => {
    const u = await start({ argv: ['--max-body-bytes', String(LIMIT)] });
    const res = await raw(u, {
      body: big(LIMIT * 4),
      headers: mcpHeaders({ ...bearer(), 'content-length': String(big(LIMIT * 4).length) }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toContain(String(LIMIT));
  });

  it('answers 413 to a chunked body that grows past the limit', async () => {
    const u = await start({ argv: ['--max-body-bytes', String(LIMIT)] });
    const chunks = Array.from({ length: 16 }, () => 'x'.repeat(1024));
    const res = await raw(u, {
      body: ['{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_":"', ...chunks],
      headers: mcpHeaders(bearer()),
    });
    expect(res.status).toBe(413);
  });

  it('serves a body just under the limit', async () => {
    const u = await start({ argv: ['--max-body-bytes', String(LIMIT)] });
    const body = INITIALIZE.padEnd(LIMIT - 10, ' ');
    const res = await raw(u, { body, headers: mcpHeaders(bearer()) });
    expect(res.status).toBe(200);
  });

  it('authenticates before it reads: an oversize body without the token is a 401', async () => {
    const u = await start({ argv: ['--max-body-bytes', String(LIMIT)] });
    const res = await raw(u, { body: big(LIMIT * 4), headers: mcpHeaders() });
    expect(res.status).toBe(401);
  });
});
