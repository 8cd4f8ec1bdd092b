/**
 * Optional shared-secret signatures: `X-Hub-Signature-256: sha256=<hex HMAC of the raw body>`, checked in
 * constant time. Docker Hub signs nothing; this is for our emulator and for relays you put in front.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Secret } from '../core/secret.js';

export const SIGNATURE_HEADER = 'x-hub-signature-256';
export const DELIVERY_HEADER = 'x-dockerhub-delivery';

export function signWebhookPayload(body: string | Uint8Array, secret: string | Secret): string {
  return `sha256=${createHmac('sha256', Secret.from(secret).reveal()).update(body).digest('hex')}`;
}

export function verifyWebhookSignature(
  body: Uint8Array,
  header: string | undefined,
  secret: Secret,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookPayload(body, secret));
  const got = Buffer.from(header.trim());
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Constant-time string comparison (for secret URL paths). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
