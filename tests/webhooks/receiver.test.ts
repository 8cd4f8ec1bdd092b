/**
 * The receiver as senders meet it: real HTTP deliveries over 127.0.0.1, answered 200 / 400 / 401 / 405 /
 * 409 / 413 / 503 as documented, events and rejections emitted, spans recorded, nothing secret logged.
 */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import {
  createWebhookReceiver,
  DELIVERY_HEADER,
  deliverWebhook,
  type Rejection,
  SIGNATURE_HEADER,
  signWebhookPayload,
  type WebhookEvent,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from '../../src/webhooks/index.js';
import { hubExample, post, pushOf, SENTINEL } from './fixtures.js';

const spans = new InMemorySpanExporter();
beforeAll(() => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
});

let open: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.close({ graceMs: 100 })));
  open = [];
});

let logText = '';
const logger = createLogger({
  level: 'trace',
  destination: {
    write: (t: string) => {
      logText += t;
      return true;
    },
  } as unknown as NodeJS.WritableStream,
});

async function start(opts: WebhookReceiverOptions = {}) {
  const receiver = createWebhookReceiver({ logger, ...opts });
  open.push(receiver);
  const events: WebhookEvent[] = [];
  const rejections: Rejection[] = [];
  receiver.on('event', (e) => events.push(e));
  receiver.on('rejected', (r) => rejections.push(r));
  const { url, host } = await receiver.listen();
  return { receiver, url, host, events, rejections };
}

describe('webhook receiver over HTTP', () => {
  it('binds 127.0.0.1 by default and accepts a valid push with 200, emitting the typed event', async () => {
    const { url, host, events } = await start();
    expect(host).toBe('127.0.0.1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await post(url, JSON.stringify(hubExample), { [DELIVERY_HEADER]: 'd-1' });
    expect(res).toMatchObject({ status: 200, body: { ok: true } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'push',
      repository: 'svendowideit/testhook',
      tag: 'latest',
      pusher: 'trustedbuilder',
      deliveryId: 'd-1',
    });
  });

  it('serves Prometheus metrics at GET /metrics, counting deliveries by status (no secret in them)', async () => {
    const { url } = await start({ secret: SENTINEL });
    await post(url, JSON.stringify(hubExample));
    const res = await request(new URL('/metrics', url));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.body.text();
    expect(text).toMatch(
      /dockerhub_server_requests_total\{server="webhooks",operation="docker.webhook.receive",status="401"\} \d+/,
    );
    expect(text).toContain('dockerhub_operations_total{operation="docker.webhook.receive"');
    expect(text).not.toContain(SENTINEL);
    const off = await start({ metrics: false });
    expect((await request(new URL('/metrics', off.url))).statusCode).toBe(405);
  });

  it('answers malformed JSON with 400 and a clear message', async () => {
    const { url, events, rejections } = await start();
    const res = await post(url, '{"push_data": ');
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'invalid webhook payload: the body is not valid JSON' },
    });
    expect(rejections).toMatchObject([
      { status: 400, reason: 'invalid webhook payload: the body is not valid JSON' },
    ]);
    expect(events).toHaveLength(0);
  });

  it('answers missing fields with 400 naming the field', async () => {
    const { url } = await start();
    const noPusher = { ...pushOf('v1'), push_data: { pushed_at: 1, tag: 'v1' } };
    expect((await post(url, JSON.stringify(noPusher))).body.error).toBe(
      'invalid webhook payload: missing field push_data.pusher',
    );
    const noRepo = { push_data: { pushed_at: 1, pusher: 'p', tag: 'v1' }, repository: {} };
    const res = await post(url, JSON.stringify(noRepo));
    expect(res).toMatchObject({
      status: 400,
      body: { error: 'invalid webhook payload: missing field repository.repo_name' },
    });
  });

  it('with a secret, accepts a correct signature and answers 401 to a wrong or missing one', async () => {
    const { url, events, rejections } = await start({ secret: SENTINEL });
    const body = JSON.stringify(pushOf('signed'));
    expect((await post(url, body, { [SIGNATURE_HEADER]: signWebhookPayload(body, SENTINEL) })).status).toBe(
      200,
    );
    const forged = await post(url, JSON.stringify(pushOf('forged')), {
      [SIGNATURE_HEADER]: signWebhookPayload(JSON.stringify(pushOf('forged')), 'another-secret-0123456789'),
    });
    expect(forged).toMatchObject({
      status: 401,
      body: { error: 'missing or invalid x-hub-signature-256 signature' },
    });
    // A valid signature of another body does not carry over.
    expect(
      (
        await post(url, JSON.stringify(pushOf('x')), {
          [SIGNATURE_HEADER]: signWebhookPayload(body, SENTINEL),
        })
      ).status,
    ).toBe(401);
    expect((await post(url, JSON.stringify(pushOf('unsigned')))).status).toBe(401);
    expect(events.map((e) => e.kind === 'push' && e.tag)).toEqual(['signed']);
    expect(rejections.map((r) => r.status)).toEqual([401, 401, 401]);
  });

  it('answers a replay with 409: same delivery id, or the same body under a fresh id or none', async () => {
    const { url, events } = await start();
    const body = JSON.stringify(pushOf('once'));
    expect((await post(url, body, { [DELIVERY_HEADER]: 'id-1' })).status).toBe(200);
    expect(await post(url, body, { [DELIVERY_HEADER]: 'id-1' })).toMatchObject({
      status: 409,
      body: { error: 'replayed delivery: already received' },
    });
    expect((await post(url, body, { [DELIVERY_HEADER]: 'id-2' })).status).toBe(409);
    expect((await post(url, body)).status).toBe(409);
    // A new push (new time) is a new delivery.
    expect((await post(url, JSON.stringify(pushOf('once', 1_700_000_001)))).status).toBe(200);
    expect(events).toHaveLength(2);
  });

  it('answers an oversize body with 413: declared (default limit 1 MiB) or streamed', async () => {
    const { url, events } = await start();
    const huge = JSON.stringify({ ...pushOf('big'), padding: 'x'.repeat(1024 * 1024) });
    const res = await post(url, huge);
    expect(res).toMatchObject({ status: 413, body: { error: 'body larger than 1048576 bytes' } });
    const ok = JSON.stringify({ ...pushOf('fits'), padding: 'x'.repeat(1000 * 1000) });
    expect((await post(url, ok)).status).toBe(200);

    const small = await start({ maxBodyBytes: 1024 });
    const chunks = Readable.from([
      Buffer.from(JSON.stringify(pushOf('s')).slice(0, -1)),
      Buffer.alloc(4096, 32),
      '}',
    ]);
    const streamed = await request(small.url, { method: 'POST', body: chunks });
    expect(streamed.statusCode).toBe(413);
    expect(await streamed.body.json()).toEqual({ error: 'body larger than 1024 bytes' });
    expect(events.map((e) => e.kind === 'push' && e.tag)).toEqual(['fits']);
    expect(small.events).toHaveLength(0);
  });

  it('in secret-path mode, accepts /hooks/<secret> only (no signature needed)', async () => {
    const { url, events, rejections } = await start({ secret: SENTINEL, secretPath: true });
    const body = JSON.stringify(pushOf('via-path'));
    expect((await post(`${url}hooks/${SENTINEL}`, body)).status).toBe(200);
    expect(
      (await post(`${url}hooks/${encodeURIComponent(SENTINEL)}/`, JSON.stringify(pushOf('slash')))).status,
    ).toBe(200);
    expect(await post(`${url}hooks/guess-guess-guess-guess`, JSON.stringify(pushOf('x')))).toMatchObject({
      status: 401,
      body: { error: 'wrong or missing secret path' },
    });
    expect((await post(url, JSON.stringify(pushOf('root')))).status).toBe(401);
    expect((await post(`${url}hooks/${SENTINEL}x`, JSON.stringify(pushOf('longer')))).status).toBe(401);
    expect(events.map((e) => e.kind === 'push' && e.tag)).toEqual(['via-path', 'slash']);
    expect(JSON.stringify(rejections)).not.toContain(SENTINEL);
  });

  it('answers anything but POST with 405 and an Allow header', async () => {
    const { url } = await start();
    const res = await post(url, '', {}, 'GET');
    expect(res).toMatchObject({
      status: 405,
      headers: { allow: 'POST' },
      body: { error: 'only POST is accepted' },
    });
  });

  it('answers 503 with Retry-After while its consumer is overloaded, and takes the retry later', async () => {
    let busy = true;
    const { url, events } = await start({ overloaded: () => busy });
    const body = JSON.stringify(pushOf('later'));
    const res = await post(url, body, { [DELIVERY_HEADER]: 'd-busy' });
    expect(res).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    busy = false;
    // Not remembered as seen: the sender's retry is accepted.
    expect((await post(url, body, { [DELIVERY_HEADER]: 'd-busy' })).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('handles a delete extension event', async () => {
    const { url, events } = await start();
    const body = {
      event: 'tag_delete',
      deleted_at: 1_700_000_000,
      tag: 'old',
      repository: { repo_name: 'acme/app' },
    };
    expect((await post(url, JSON.stringify(body))).status).toBe(200);
    expect(events[0]).toMatchObject({ kind: 'tag_delete', tag: 'old' });
  });

  it('closes gracefully: a delivery in progress still gets its answer, new connections are refused', async () => {
    const { receiver, url, events } = await start();
    const port = new URL(url).port;
    const body = JSON.stringify(pushOf('in-flight'));
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 50));
    const closing = receiver.close({ graceMs: 5_000 });
    await new Promise((r) => setTimeout(r, 50));
    socket.end(body.slice(10));
    await closing;
    await new Promise((r) => socket.once('close', r));
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(events).toHaveLength(1);
    await expect(post(url, body)).rejects.toThrow();
  }, 5_000);

  it('reports a busy port as a one-line ConnectionError', async () => {
    const { url } = await start();
    const other = createWebhookReceiver({ port: Number(new URL(url).port) });
    const err = await other.listen().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe(
      `cannot listen on 127.0.0.1:${new URL(url).port}: the address is already in use`,
    );
  });

  it('records a docker.webhook.receive span with repository, tag and pusher, never the secret', async () => {
    spans.reset();
    const { url } = await start({ secret: SENTINEL });
    const body = JSON.stringify(pushOf('traced'));
    await post(url, body, {
      [SIGNATURE_HEADER]: signWebhookPayload(body, SENTINEL),
      [DELIVERY_HEADER]: 'd-t',
    });
    await post(url, body, { [SIGNATURE_HEADER]: 'sha256=00' });
    const got = spans.getFinishedSpans().filter((s) => s.name === 'docker.webhook.receive');
    expect(got).toHaveLength(2);
    expect(got[0]?.attributes).toMatchObject({
      repository: 'acme/app',
      tag: 'traced',
      pusher: 'ci-bot',
      'webhook.event': 'push',
      'webhook.delivery_id': 'd-t',
      'dockerhub.status': 'ok',
    });
    expect(got[1]?.attributes).toMatchObject({ 'dockerhub.status': '401' });
    expect(JSON.stringify(got.map((s) => [s.attributes, s.events, s.status]))).not.toContain(SENTINEL);
  });

  it('a delivery is a docker.webhook.deliver span on the sending side, with repository and status', async () => {
    spans.reset();
    const { url } = await start({ secret: SENTINEL });
    await deliverWebhook(url, pushOf('sent'), { secret: SENTINEL, deliveryId: 'd-s' });
    const sent = spans.getFinishedSpans().find((s) => s.name === 'docker.webhook.deliver');
    expect(sent?.attributes).toMatchObject({ repository: 'acme/app', status: 200, duplicate: false });
    expect(JSON.stringify(spans.getFinishedSpans().map((s) => s.attributes))).not.toContain(SENTINEL);
  });

  it('never logs the shared secret, at trace level, in signature or secret-path mode', async () => {
    logText = '';
    const signed = await start({ secret: SENTINEL });
    const body = JSON.stringify(pushOf('log'));
    await post(signed.url, body, { [SIGNATURE_HEADER]: signWebhookPayload(body, SENTINEL) });
    await post(signed.url, body, { [SIGNATURE_HEADER]: signWebhookPayload(body, SENTINEL) });
    await post(signed.url, '{', { [SIGNATURE_HEADER]: signWebhookPayload('{', SENTINEL) });
    const byPath = await start({ secret: SENTINEL, secretPath: true });
    await post(`${byPath.url}hooks/${SENTINEL}`, body);
    await post(`${byPath.url}hooks/${SENTINEL}`, body);
    await post(`${byPath.url}hooks/nope-nope-nope-nope`, body);
    expect(logText).toContain('webhook delivery accepted');
    expect(logText).toContain('webhook delivery rejected');
    expect(logText).not.toContain(SENTINEL);
  });
});
