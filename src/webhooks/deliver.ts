/**
 * Sends a webhook delivery (used by our emulator on push and delete, and by relays): JSON body,
 * a delivery id for replay protection, and a signature when a secret is given.
 */
import { randomUUID } from 'node:crypto';
import type { Secret } from '../core/secret.js';
import { HttpTransport } from '../core/transport.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhookPayload } from './signature.js';
import type { WebhookPayload } from './types.js';

export interface DeliverOptions {
  secret?: string | Secret;
  deliveryId?: string;
  transport?: HttpTransport;
  signal?: AbortSignal;
}

export async function deliverWebhook(
  url: string,
  payload: WebhookPayload,
  opts: DeliverOptions = {},
): Promise<{ status: number; deliveryId: string }> {
  const body = JSON.stringify(payload);
  const deliveryId = opts.deliveryId ?? randomUUID();
  const transport = opts.transport ?? new HttpTransport();
  try {
    const res = await transport.request({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json',
        [DELIVERY_HEADER]: deliveryId,
        ...(opts.secret ? { [SIGNATURE_HEADER]: signWebhookPayload(body, opts.secret) } : {}),
      },
      body,
      // Same delivery id on every attempt, so the receiver drops duplicates.
      idempotent: true,
      signal: opts.signal,
    });
    await res.body.dump();
    return { status: res.status, deliveryId };
  } finally {
    if (!opts.transport) await transport.close();
  }
}
