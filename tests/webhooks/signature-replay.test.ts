/**
 * Shared-secret signatures and the replay guard on their own: what a sender signs verifies, anything
 * else does not, and a delivery is accepted once per window however it is re-sent.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import {
  createWebhookReceiver,
  ReplayGuard,
  signWebhookPayload,
  verifyWebhookSignature,
} from '../../src/webhooks/index.js';
import { SENTINEL } from './fixtures.js';

describe('signWebhookPayload / verifyWebhookSignature', () => {
  const body = '{"push_data":{"tag":"v1"}}';

  it('produces sha256=<hex HMAC-SHA256 of the body> that any HMAC implementation agrees with', () => {
    const expected = createHmac('sha256', SENTINEL).update(body).digest('hex');
    expect(signWebhookPayload(body, SENTINEL)).toBe(`sha256=${expected}`);
    expect(signWebhookPayload(Buffer.from(body), new Secret(SENTINEL))).toBe(`sha256=${expected}`);
  });

  it('verifies the exact bytes only, with the right secret only', () => {
    const sig = signWebhookPayload(body, SENTINEL);
    expect(verifyWebhookSignature(body, sig, SENTINEL)).toBe(true);
    expect(verifyWebhookSignature(body, sig.toUpperCase().replace('SHA256=', 'sha256='), SENTINEL)).toBe(
      true,
    );
    expect(verifyWebhookSignature(`${body} `, sig, SENTINEL)).toBe(false);
    expect(verifyWebhookSignature(body, sig, `${SENTINEL}x`)).toBe(false);
    expect(verifyWebhookSignature(body, undefined, SENTINEL)).toBe(false);
    expect(verifyWebhookSignature(body, 'sha256=00', SENTINEL)).toBe(false);
    expect(verifyWebhookSignature(body, sig.replace('sha256=', 'sha1='), SENTINEL)).toBe(false);
  });

  it('refuses a shared secret too short to be safe, without showing it', () => {
    expect(() => createWebhookReceiver({ secret: 'short-pw' })).toThrow(
      new ValidationError('the webhook secret must be at least 16 characters long'),
    );
    expect(() => createWebhookReceiver({ secretPath: true })).toThrow('secretPath needs a secret');
  });
});

describe('ReplayGuard', () => {
  it('accepts a delivery once per window, by id and by body', () => {
    let now = 0;
    const guard = new ReplayGuard({ windowMs: 1_000, now: () => now });
    expect(guard.accept('a', 'id-1')).toBe(true);
    expect(guard.accept('a', 'id-1')).toBe(false); // same delivery again
    expect(guard.accept('b', 'id-1')).toBe(false); // same id, other body
    expect(guard.accept('a', 'id-2')).toBe(false); // captured body under a fresh id
    expect(guard.accept('a')).toBe(false); // same body, no id
    expect(guard.accept('c')).toBe(true);
    now = 1_000;
    expect(guard.accept('a', 'id-1')).toBe(true); // window over
  });

  it('keeps memory bounded, forgetting the oldest first', () => {
    const guard = new ReplayGuard({ capacity: 100 });
    for (let i = 0; i < 1_000; i++) expect(guard.accept(`body-${i}`)).toBe(true);
    expect(guard.size).toBe(100);
    expect(guard.accept('body-999')).toBe(false);
    expect(guard.accept('body-0')).toBe(true);
  });

  it('drops expired entries as time passes', () => {
    let now = 0;
    const guard = new ReplayGuard({ windowMs: 10, now: () => now });
    for (let i = 0; i < 50; i++) guard.accept(`x${i}`);
    now = 100;
    guard.accept('fresh');
    expect(guard.size).toBe(1);
  });
});
