/**
 * Sends one webhook delivery (our emulator calls it on push and delete; relays can too): the payload as
 * JSON, a delivery id that stays the same on retries, and either a signature or a secret URL path when a
 * secret is given. Retries connection failures, 429 and 5xx through `HttpTransport`; never follows a
 * redirect (the delivery goes where it was told to, or fails).
 */
import { randomUUID } from 'node:crypto';
import { ValidationError } from '../core/errors.js';
import type { RetryOptions } from '../core/retry.js';
import type { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import { HttpTransport } from '../core/transport.js';
import { validateWebhookPayload } from './parse.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhookPayload, webhookSecret } from './signature.js';
import type { WebhookPayload } from './types.js';

export interface DeliverOptions {
  /** Shared secret (at least 16 characters): signs the body, or with `secretPath` goes in the URL. */
  secret?: string | Secret;
  /** Post to `<url>/hooks/<secret>` instead of signing (for receivers in secret-path mode). */
  secretPath?: boolean;
  /** Default: a random UUID. Reuse it to re-send the same delivery (the receiver drops duplicates). */
  deliveryId?: string;
  /** Reuse a transport (connection pool, hooks); default: a new one, closed afterwards. */
  transport?: HttpTransport;
  signal?: AbortSignal;
  /** Idle timeout per attempt (default 10 s). */
  timeoutMs?: number;
  retry?: Partial<RetryOptions> | false;
}

export interface DeliveryResult {
  /** The receiver's status (2xx, or 409 for a duplicate). */
  status: number;
  deliveryId: string;
  /**
   * True when the receiver answered 409: it already had this delivery (typically a retry of an attempt
   * whose answer was lost). The event was delivered once.
   */
  duplicate: boolean;
}

function targetUrl(url: string, opts: DeliverOptions, secret: Secret | undefined): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ValidationError('webhook URL is not a valid absolute URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ValidationError(`webhook URL must be http or https, got ${u.protocol.replace(/:$/, '')}`);
  }
  if (opts.secretPath && secret) {
    const base = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    u.pathname = `${base}hooks/${encodeURIComponent(secret.reveal())}`;
  }
  return u;
}

/**
 * POSTs `payload` to `url`. Validates the payload first (a `ValidationError` names the bad field), and
 * throws the typed HTTP error for a refused delivery (e.g. `AuthenticationError` for 401).
 */
export async function deliverWebhook(
  url: string,
  payload: WebhookPayload,
  opts: DeliverOptions = {},
): Promise<DeliveryResult> {
  if (opts.secretPath && opts.secret === undefined) throw new ValidationError('secretPath needs a secret');
  const secret = opts.secret === undefined ? undefined : webhookSecret(opts.secret);
  const target = targetUrl(url, opts, secret);
  const body = JSON.stringify(validateWebhookPayload(payload));
  const deliveryId = opts.deliveryId ?? randomUUID();
  const repository = payload.repository?.repo_name;
  return instrument('docker.webhook.deliver', { repository }, (span) =>
    send(target, body, deliveryId, secret, opts).then((result) => {
      span.setAttributes({ status: result.status, duplicate: result.duplicate });
      return result;
    }),
  );
}

async function send(
  target: URL,
  body: string,
  deliveryId: string,
  secret: Secret | undefined,
  opts: DeliverOptions,
): Promise<DeliveryResult> {
  const transport = opts.transport ?? new HttpTransport();
  try {
    const res = await transport.send({
      method: 'POST',
      url: target,
      headers: {
        'content-type': 'application/json',
        [DELIVERY_HEADER]: deliveryId,
        ...(secret && !opts.secretPath ? { [SIGNATURE_HEADER]: signWebhookPayload(body, secret) } : {}),
      },
      body,
      // Safe to repeat: the delivery id is the same on every attempt, so the receiver drops duplicates.
      idempotent: true,
      followRedirects: false,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retry: opts.retry,
      signal: opts.signal,
    });
    if (res.status === 409) {
      await res.body.dump().catch(() => undefined);
      return { status: res.status, deliveryId, duplicate: true };
    }
    if (res.status >= 300) throw await transport.toError(res);
    await res.body.dump().catch(() => undefined);
    return { status: res.status, deliveryId, duplicate: false };
  } finally {
    if (!opts.transport) await transport.close();
  }
}
