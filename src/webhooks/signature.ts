/**
 * Optional shared-secret authentication. Docker Hub signs nothing: these are for senders we control (our
 * emulator, `deliverWebhook`, a relay in front of the receiver).
 *
 * - Signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, compared in constant time.
 * - Secret path: the delivery URL ends in `/hooks/<secret>`, compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../core/errors.js';
import { Secret } from '../core/secret.js';

export const SIGNATURE_HEADER = 'x-hub-signature-256';
/** A sender's unique id per delivery, identical on retries (replay protection keys on it). */
export const DELIVERY_HEADER = 'x-dockerhub-delivery';
/** Shorter shared secrets are refused: a secret path must not be guessable, a HMAC key not brute-forced. */
export const MIN_SECRET_LENGTH = 16;

/** Wraps the shared secret, refusing one too short to be safe. The error never includes the value. */
export function webhookSecret(secret: string | Secret): Secret {
  const s = Secret.from(secret);
  if (s.reveal().length < MIN_SECRET_LENGTH) {
    throw new ValidationError(`the webhook secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  return s;
}

function hmac(body: string | Uint8Array, secret: string | Secret): Buffer {
  return createHmac('sha256', Secret.from(secret).reveal()).update(body).digest();
}

/** The `X-Hub-Signature-256` value for `body`: `sha256=<hex>`. Sign the exact bytes you send. */
export function signWebhookPayload(body: string | Uint8Array, secret: string | Secret): string {
  return `sha256=${hmac(body, secret).toString('hex')}`;
}

/**
 * Whether `header` is a valid signature of `body` (the exact bytes received). Accepts upper- or
 * lower-case hex; compares digests in constant time.
 */
export function verifyWebhookSignature(
  body: string | Uint8Array,
  header: string | undefined,
  secret: string | Secret,
): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(Buffer.from(match[1], 'hex'), hmac(body, secret));
}

/**
 * Constant-time string equality that does not leak the length either: both sides are hashed to
 * 32 bytes first.
 */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
