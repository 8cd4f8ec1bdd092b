/**
 * Docker Hub webhooks: typed payloads (Docker Hub's push; our tag/repository delete extension, which
 * Docker Hub never sends), parsing with field-naming errors, optional shared-secret signatures or secret
 * paths, replay protection, a receiver and a sender.
 */
export {
  createPushPayload,
  createRepositoryDeletePayload,
  createTagDeletePayload,
  type DeletePayloadInput,
  type PushPayloadInput,
} from './build.js';
export { type DeliverOptions, type DeliveryResult, deliverWebhook } from './deliver.js';
export { parseWebhookPayload, validateWebhookPayload, webhookEventToJSON } from './parse.js';
export {
  createWebhookReceiver,
  DEFAULT_MAX_BODY_BYTES,
  type ListenInfo,
  type Rejection,
  WebhookReceiver,
  type WebhookReceiverOptions,
} from './receiver.js';
export { ReplayGuard, type ReplayGuardOptions } from './replay.js';
export {
  DELIVERY_HEADER,
  MIN_SECRET_LENGTH,
  SIGNATURE_HEADER,
  signWebhookPayload,
  verifyWebhookSignature,
} from './signature.js';
export * from './types.js';
