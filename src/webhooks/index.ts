export { type DeliverOptions, deliverWebhook } from './deliver.js';
export { parseWebhookPayload } from './parse.js';
export {
  createWebhookReceiver,
  type Rejection,
  WebhookReceiver,
  type WebhookReceiverOptions,
} from './receiver.js';
export { ReplayGuard } from './replay.js';
export {
  DELIVERY_HEADER,
  SIGNATURE_HEADER,
  signWebhookPayload,
  verifyWebhookSignature,
} from './signature.js';
export * from './types.js';
