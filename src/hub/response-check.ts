/**
 * Lenient response validation. Docker's response schemas lag the live API, so a body that does not match
 * the SDK's zod schema is still returned: the mismatch is logged as one warning (the operation and the
 * first mismatching path, never the data) for whoever turns logging on. Only a body that is not JSON at
 * all, where JSON was expected, is an error.
 */
import type { z } from 'zod';
import { InvalidResponseError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { redactText } from '../core/redact.js';
import { type HttpResponse, type ResponseInfo, responseInfo } from '../core/transport.js';

/** The parsed JSON body; `undefined` for an empty body. */
export function parseJsonBody(text: string, res: HttpResponse, operation: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const type = res.headers['content-type'] || 'no content type';
    throw new InvalidResponseError(
      `${operation}: expected a JSON response, got ${res.status} with a body that is not JSON (${type})`,
      {
        status: res.status,
        method: res.method,
        url: res.url,
        requestId: res.requestId,
        body: redactText(text.length > 200 ? `${text.slice(0, 200)}…` : text),
      },
    );
  }
}

/** Checks `data` against `schema`; true when it matches. A mismatch is logged, never thrown. */
export function checkResponse(
  schema: z.ZodType | undefined,
  data: unknown,
  operation: string,
  logger: Logger,
): boolean {
  if (!schema || data === undefined) return true;
  const result = schema.safeParse(data);
  if (result.success) return true;
  const first = result.error.issues[0];
  logger.warn(
    {
      operation,
      path: first?.path.length ? first.path.map(String).join('.') : '(body)',
      problem: first?.message,
      mismatches: result.error.issues.length,
    },
    `${operation}: the response does not match the expected shape; returned as is`,
  );
  return false;
}

/** A JSON response as an SDK result: parsed, checked leniently against `schema`, with its response info. */
export async function readJsonResult<T>(
  res: HttpResponse,
  operation: string,
  schema: z.ZodType | undefined,
  logger: Logger,
  opts: { noBody?: boolean } = {},
): Promise<{ data: T; response: ResponseInfo }> {
  const data = parseJsonBody(opts.noBody ? '' : await res.body.text(), res, operation);
  checkResponse(schema, data, operation, logger);
  return { data: data as T, response: responseInfo(res) };
}
