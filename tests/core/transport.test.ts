/**
 * The request loop against a loopback server that injects faults a real registry will not produce on
 * demand: 503 bursts, 429 with Retry-After, resets, redirects to another origin, slow headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AbortError,
  AuthenticationError,
  CircuitOpenError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  TimeoutError,
} from '../../src/core/errors.js';
import { HttpTransport } from '../../src/core/transport.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let handler: Handler = (_req, res) => res.end('ok');
let main: { server: Server; url: string };
let other: { server: Server; url: string };
const otherSeen: Array<{ url?: string; authorization?: string }> = [];
const delays: number[] = [];
const fastSleep = async (ms: number) => {
  delays.push(ms);
};

beforeAll(async () => {
  main = await listen((req, res) => handler(req, res));
  other = await listen((req, res) => {
    otherSeen.push({ url: req.url, authorization: req.headers.authorization });
    res.end('from-cdn');
  });
});
afterAll(async () => {
  main.server.closeAllConnections();
  other.server.closeAllConnections();
  await Promise.all([new Promise((r) => main.server.close(r)), new Promise((r) => other.server.close(r))]);
});
afterEach(() => {
  delays.length = 0;
  otherSeen.length = 0;
});

function transport(opts: ConstructorParameters<typeof HttpTransport>[0] = {}) {
  return new HttpTransport({ sleep: fastSleep, circuitBreaker: false, ...opts });
}

describe('HttpTransport', () => {
  it('retries a burst of 503s and returns the eventual success', async () => {
    let n = 0;
    handler = (_req, res) => {
      n++;
      if (n < 3) {
        res.statusCode = 503;
        res.end('busy');
      } else res.end('done');
    };
    const t = transport();
    const res = await t.request({ method: 'GET', url: `${main.url}/x` });
    expect(await res.body.text()).toBe('done');
    expect(n).toBe(3);
    expect(delays).toHaveLength(2);
    await t.close();
  });

  it('waits exactly what Retry-After asks on 429 instead of its own backoff', async () => {
    let n = 0;
    handler = (_req, res) => {
      n++;
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '2' });
        res.end();
      } else res.end('ok');
    };
    const t = transport();
    await t.request({ method: 'GET', url: `${main.url}/x` });
    expect(delays).toEqual([2000]);
    await t.close();
  });

  it('gives up with RateLimitError carrying retryAfterMs when the server asks for too long', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'too many requests, slow down' }));
    };
    const t = transport();
    const err = await t.request({ method: 'GET', url: `${main.url}/x` }).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(err.message).toContain('too many requests, slow down');
    expect(delays).toEqual([]);
    await t.close();
  });

  it('does not retry a non-idempotent POST on 503', async () => {
    let n = 0;
    handler = (_req, res) => {
      n++;
      res.statusCode = 503;
      res.end();
    };
    const t = transport();
    await expect(t.request({ method: 'POST', url: `${main.url}/x`, body: 'a' })).rejects.toBeInstanceOf(
      InternalServerError,
    );
    expect(n).toBe(1);
    await t.close();
  });

  it('stops after maxAttempts and reports the last status as a typed, retryable error', async () => {
    let n = 0;
    handler = (_req, res) => {
      n++;
      res.statusCode = 502;
      res.end();
    };
    const t = transport({ retry: { maxAttempts: 3 } });
    const err = await t.request({ method: 'GET', url: `${main.url}/x` }).catch((e) => e);
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(502);
    expect(n).toBe(3);
    await t.close();
  });

  it('retries connection resets, then fails with ConnectionError', async () => {
    let n = 0;
    handler = (req) => {
      n++;
      req.socket.destroy();
    };
    const t = transport({ retry: { maxAttempts: 2 } });
    const err = await t.request({ method: 'GET', url: `${main.url}/x` }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.retryable).toBe(true);
    expect(n).toBe(2);
    await t.close();
  });

  it('maps OCI error bodies to typed errors with readable messages', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req-42' });
      res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
    };
    const t = transport();
    const err = await t.request({ method: 'GET', url: `${main.url}/v2/x/manifests/y` }).catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe('MANIFEST_UNKNOWN');
    expect(err.requestId).toBe('req-42');
    expect(err.message).toBe(`404 manifest unknown (GET ${main.url}/v2/x/manifests/y)`);
    await t.close();
  });

  it('follows a redirect to another origin without sending Authorization there', async () => {
    handler = (_req, res) => {
      res.writeHead(307, { location: `${other.url}/blob?sig=abc` });
      res.end();
    };
    const t = transport();
    const res = await t.request({
      method: 'GET',
      url: `${main.url}/v2/x/blobs/sha256:1`,
      headers: { authorization: 'Bearer registry-token' },
    });
    expect(await res.body.text()).toBe('from-cdn');
    expect(otherSeen).toEqual([{ url: '/blob?sig=abc', authorization: undefined }]);
    expect(res.url).toBe(`${other.url}/blob?sig=abc`);
    await t.close();
  });

  it('keeps Authorization on a same-origin redirect', async () => {
    const seen: Array<string | undefined> = [];
    handler = (req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === '/a') {
        res.writeHead(302, { location: '/b' });
        res.end();
      } else res.end('b');
    };
    const t = transport();
    await t.request({ method: 'GET', url: `${main.url}/a`, headers: { authorization: 'Bearer t' } });
    expect(seen).toEqual(['Bearer t', 'Bearer t']);
    await t.close();
  });

  it('captures Hub and registry rate-limit headers on every response', async () => {
    handler = (req, res) => {
      if (req.url === '/hub') {
        res.writeHead(200, {
          'x-ratelimit-limit': '180',
          'x-ratelimit-remaining': '179',
          'x-ratelimit-reset': '1700000000',
        });
      } else {
        res.writeHead(200, {
          'ratelimit-limit': '100;w=21600',
          'ratelimit-remaining': '76;w=21600',
          'docker-ratelimit-source': '203.0.113.7',
        });
      }
      res.end();
    };
    const t = transport();
    const hubRes = await t.request({ method: 'GET', url: `${main.url}/hub` });
    await hubRes.body.dump();
    const regRes = await t.request({ method: 'GET', url: `${main.url}/registry` });
    await regRes.body.dump();
    expect(t.rateLimits.hub).toMatchObject({ kind: 'hub', limit: 180, remaining: 179 });
    expect(t.rateLimits.hub?.resetAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(t.rateLimits.registry).toMatchObject({
      kind: 'registry',
      limit: 100,
      remaining: 76,
      windowSeconds: 21600,
      source: '203.0.113.7',
    });
    await t.close();
  });

  it('times out slow headers with TimeoutError', async () => {
    handler = () => {
      /* never answers */
    };
    const t = transport({ retry: false });
    const err = await t.request({ method: 'GET', url: `${main.url}/slow`, timeoutMs: 200 }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    await t.close();
  });

  it('aborts through the caller signal with AbortError and no retry', async () => {
    let n = 0;
    handler = () => {
      n++;
    };
    const t = transport();
    const ac = new AbortController();
    const pending = t.request({ method: 'GET', url: `${main.url}/slow`, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(n).toBe(1);
    await t.close();
  });

  it('opens the circuit after 5 consecutive failures and fails fast', async () => {
    let n = 0;
    handler = (_req, res) => {
      n++;
      res.statusCode = 500;
      res.end();
    };
    const t = new HttpTransport({ sleep: fastSleep, retry: false });
    for (let i = 0; i < 5; i++) {
      await expect(t.request({ method: 'GET', url: `${main.url}/x` })).rejects.toBeInstanceOf(
        InternalServerError,
      );
    }
    await expect(t.request({ method: 'GET', url: `${main.url}/x` })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(n).toBe(5);
    await t.close();
  });

  it('half-opens the circuit after the cool-down and closes it on success', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      let fail = true;
      handler = (_req, res) => {
        res.statusCode = fail ? 500 : 200;
        res.end();
      };
      const t = new HttpTransport({
        sleep: fastSleep,
        retry: false,
        circuitBreaker: { threshold: 2, halfOpenAfterMs: 30_000 },
      });
      for (let i = 0; i < 2; i++)
        await t.send({ method: 'GET', url: `${main.url}/x` }).then((r) => r.body.dump());
      await expect(t.send({ method: 'GET', url: `${main.url}/x` })).rejects.toBeInstanceOf(CircuitOpenError);
      vi.advanceTimersByTime(30_001);
      fail = false;
      const res = await t.send({ method: 'GET', url: `${main.url}/x` });
      expect(res.status).toBe(200);
      await res.body.dump();
      await t.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('strips credentials from URLs in error messages', async () => {
    handler = (_req, res) => {
      res.statusCode = 401;
      res.end('{"detail":"bad credentials"}');
    };
    const t = transport();
    const url = `${main.url.replace('http://', 'http://user:hunter2-password@')}/x?token=abcdef123456`;
    const err = await t.request({ method: 'GET', url }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('abcdef123456');
    expect(err.url).not.toContain('hunter2');
    await t.close();
  });
});
