export { APIPromise, type WithResponse } from './api-promise.js';
export {
  BufferedBody,
  type CassetteFile,
  CassettePlayer,
  CassetteRecorder,
  type RecordedInteraction,
} from './cassette.js';
export { type CircuitBreakerOptions, DEFAULT_CIRCUIT_BREAKER } from './circuit-breaker.js';
export * from './credentials.js';
export {
  type DockerLoginOptions,
  type DockerLoginStore,
  dockerHubLoginStore,
  eraseDockerHubLogin,
  storeDockerHubLogin,
} from './docker-login.js';
export * from './errors.js';
export { createLogger, getLogger, type Logger } from './logger.js';
export { type Page, PagedList, type PageFetcher, parseLinkNext } from './pagination.js';
export { parseRateLimit, parseRetryAfter, type RateLimitInfo, RateLimitTracker } from './rate-limit.js';
export { redactHeaders, redactText, redactUrl, redactValue } from './redact.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export { Secret } from './secret.js';
export {
  disablePrometheus,
  enablePrometheus,
  instrument,
  prometheusText,
  recordBytes,
  recordRateLimit,
  recordTransfer,
  type TelemetryAttributes,
} from './telemetry.js';
export {
  type HttpRequest,
  type HttpResponse,
  HttpTransport,
  type ResponseInfo,
  type TransportHooks,
  type TransportOptions,
} from './transport.js';
