/**
 * The sender as the emulator will use it: signed (or secret-path) deliveries to a real receiver on
 * 127.0.0.1, the same delivery id on retries, duplicates reported, refusals typed, no redirects followed.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError, HttpError, ValidationError } from '../../src/core/errors.js';
import {
  createWebhookReceiver,
  DELIVERY_HEADER,
  deliverWebhook,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
  type WebhookEvent,
  type WebhookPayload,
  type WebhookReceiver,
} from '../../src/webhooks/index.js';
import { pushOf, SENTINEL } from './fixtures.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function receiver(opts: Parameters<typeof createWebhookReceiver>[0]) {
  const r: WebhookReceiver = createWebhookReceiver(opts);
  closers.push(() => r.close({ graceMs: 100 }));
  const events: WebhookEvent[] = [];
  r.on('event', (e) => events.push(e));
  const { url } = await r.listen();
  return { url, events };
}

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A scripted endpoint: answers each request with the next status in `statuses`. */
async function stub(statuses: Array<number | [number, Record<string, string>]>) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ url: req.url ?? '', headers: req.headers, body });
    const next = statuses[Math.min(seen.length - 1, statuses.length - 1)] ?? 200;
    const [status, headers] = Array.isArray(next) ? next : [next, {}];
    res.writeHead(status, headers).end(JSON.stringify({ message: `status ${status}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
}

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

describe('deliverWebhook', () => {
  it('delivers a signed push that the receiver accepts, and reports a re-send as a duplicate', async () => {
    const { url, events } = await receiver({ secret: SENTINEL });
    const first = await deliverWebhook(url, pushOf('v1'), { secret: SENTINEL });
    expect(first).toMatchObject({ status: 200, duplicate: false });
    expect(events).toMatchObject([{ kind: 'push', tag: 'v1', deliveryId: first.deliveryId }]);
    const again = await deliverWebhook(url, pushOf('v1'), { secret: SENTINEL, deliveryId: first.deliveryId });
    expect(again).toEqual({ status: 409, deliveryId: first.deliveryId, duplicate: true });
    expect(events).toHaveLength(1);
  });

  it('delivers to /hooks/<secret> in secret-path mode', async () => {
    const { url, events } = await receiver({ secret: SENTINEL, secretPath: true });
    expect((await deliverWebhook(url, pushOf('p'), { secret: SENTINEL, secretPath: true })).status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('throws the typed error for a refused delivery, without the secret in it', async () => {
    const { url } = await receiver({ secret: SENTINEL });
    const wrong = await deliverWebhook(url, pushOf('w'), { secret: 'not-the-right-secret-123' }).catch(
      (e) => e,
    );
    expect(wrong).toBeInstanceOf(AuthenticationError);
    expect(wrong.status).toBe(401);
    expect(wrong.message).toContain('missing or invalid x-hub-signature-256 signature');
    // The secret is in the URL here (secret-path sender, signature receiver): still never shown.
    const err = await deliverWebhook(url, pushOf('s'), { secret: SENTINEL, secretPath: true }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(AuthenticationError);
    const shown = `${err.message} ${err.url} ${JSON.stringify(err)}`;
    expect(shown).toContain('/hooks/');
    expect(shown).not.toContain(SENTINEL);
  });

  it('retries a 5xx with the same delivery id and signature', async () => {
    const { url, seen } = await stub([503, 502, 200]);
    const res = await deliverWebhook(url, pushOf('r'), { secret: SENTINEL, retry: fastRetry });
    expect(res).toMatchObject({ status: 200, duplicate: false });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.headers[DELIVERY_HEADER]))).toEqual(new Set([res.deliveryId]));
    for (const s of seen) {
      expect(verifyWebhookSignature(s.body, s.headers[SIGNATURE_HEADER] as string, SENTINEL)).toBe(true);
    }
  });

  it('does not follow a redirect', async () => {
    const elsewhere = await stub([200]);
    const { url, seen } = await stub([[307, { location: elsewhere.url }]]);
    const err = await deliverWebhook(url, pushOf('x'), { retry: false }).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.status).toBe(307);
    expect(seen).toHaveLength(1);
    expect(elsewhere.seen).toHaveLength(0);
  });

  it('refuses a bad payload or URL before sending anything', async () => {
    const { url, seen } = await stub([200]);
    const bad = { push_data: { pushed_at: 1, pusher: 'p' }, repository: { repo_name: 'a/b' } };
    await expect(deliverWebhook(url, bad as unknown as WebhookPayload)).rejects.toThrow(
      new ValidationError('invalid webhook payload: missing field push_data.tag'),
    );
    await expect(deliverWebhook('not a url', pushOf('x'))).rejects.toThrow(ValidationError);
    await expect(deliverWebhook('ftp://127.0.0.1/', pushOf('x'))).rejects.toThrow(
      'webhook URL must be http or https, got ftp',
    );
    await expect(deliverWebhook(url, pushOf('x'), { secret: 'short' })).rejects.toThrow(ValidationError);
    expect(seen).toHaveLength(0);
  });
});
