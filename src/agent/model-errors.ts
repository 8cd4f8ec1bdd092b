/**
 * A failed model call, in words a person can act on: rate limited (429, with when to retry), the server
 * failing (5xx), unreachable, silent (timeout), refusing the key, or rejecting the request. Provider
 * messages are redacted and cut short; a stack trace never reaches the user.
 */
import { APICallError, RetryError } from 'ai';
import { redactText } from '../core/redact.js';
import { causeCode, ModelTimeoutError } from './model.js';

export type ModelProblemCode =
  | 'model_rate_limited'
  | 'model_server_error'
  | 'model_unreachable'
  | 'model_timeout'
  | 'model_refused_key'
  | 'model_bad_request'
  | 'model_error';

export interface ModelProblem {
  code: ModelProblemCode;
  /** One or two sentences for the person. */
  message: string;
  status?: number;
  retryAfterSeconds?: number;
}

function findCause<T>(err: unknown, test: (e: unknown) => e is T): T | undefined {
  let e: unknown = err;
  for (let i = 0; e && i < 6; i++) {
    if (test(e)) return e;
    e = (e as { cause?: unknown }).cause ?? (RetryError.isInstance(e) ? e.lastError : undefined);
  }
  return undefined;
}

function providerMessage(err: APICallError): string {
  const data = err.data as { error?: { message?: unknown } | string; message?: unknown } | undefined;
  const fromData =
    typeof data?.error === 'string'
      ? data.error
      : typeof data?.error?.message === 'string'
        ? data.error.message
        : typeof data?.message === 'string'
          ? data.message
          : undefined;
  const text = fromData ?? err.message ?? '';
  const oneLine = redactText(String(text)).replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

function retryAfter(headers: Record<string, string> | undefined): number | undefined {
  const raw = headers?.['retry-after'] ?? headers?.['Retry-After'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

const isTimeout = (e: unknown): e is ModelTimeoutError =>
  e instanceof ModelTimeoutError || (e as { name?: unknown } | null)?.name === 'ModelTimeoutError';

export function describeModelError(err: unknown, where: string): ModelProblem {
  const timeout = findCause(err, isTimeout);
  if (timeout)
    return {
      code: 'model_timeout',
      message: `The model at ${where} did not answer in time (${timeout.message}). It may be overloaded or still loading; try again, or raise LLM_TIMEOUT.`,
    };
  const api = findCause(err, (e): e is APICallError => APICallError.isInstance(e));
  if (api?.statusCode === undefined && api) {
    return {
      code: 'model_unreachable',
      message: `The model at ${where} cannot be reached (${redactText(causeCode(api))}). Check that it runs and that LLM_BASE_URL is right.`,
    };
  }
  if (api) {
    const status = api.statusCode as number;
    const detail = providerMessage(api);
    if (status === 429) {
      const wait = retryAfter(api.responseHeaders);
      return {
        code: 'model_rate_limited',
        status,
        ...(wait !== undefined ? { retryAfterSeconds: wait } : {}),
        message: `The model is rate-limiting requests (HTTP 429${detail ? `: ${detail}` : ''}). ${
          wait !== undefined ? `Try again in ${wait} s.` : 'Try again in a moment.'
        }`,
      };
    }
    if (status >= 500)
      return {
        code: 'model_server_error',
        status,
        message: `The model server failed (HTTP ${status}${detail ? `: ${detail}` : ''}). Nothing more was done; try again later.`,
      };
    if (status === 401 || status === 403)
      return {
        code: 'model_refused_key',
        status,
        message: `The model server refused the agent's API key (HTTP ${status}). The operator should check LLM_API_KEY.`,
      };
    return {
      code: 'model_bad_request',
      status,
      message: `The model server rejected the request (HTTP ${status}${detail ? `: ${detail}` : ''}).`,
    };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { code: 'model_error', message: `The model call failed: ${redactText(text).slice(0, 300)}` };
}
