/**
 * GraphQL errors from Docker Scout as the toolkit's typed errors. Scout answers problems in `errors[]`,
 * often with HTTP 200, each carrying `extensions.code` (and sometimes `extensions.status`, an HTTP
 * status). The code picks the error class through `makeHttpError`, so `FORBIDDEN` is a
 * PermissionDeniedError, `UNAUTHENTICATED` an AuthenticationError, and so on.
 */
import { type HttpError, makeHttpError } from '../core/errors.js';

export interface GraphQLErrorBody {
  message?: string;
  path?: Array<string | number>;
  extensions?: { code?: string; status?: number; [key: string]: unknown };
}

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PAYMENT_REQUIRED: 402,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  RATE_LIMITED: 429,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  DOWNSTREAM_SERVICE_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
};

const HINTS: Record<number, string> = {
  401: 'log in to Docker Hub (DOCKER_HUB_USER/DOCKER_HUB_TOKEN or docker login)',
  402: "the organization's Docker Scout entitlements are exceeded",
  403: 'Docker Scout is not available to this account or organization (plan, enrolment or membership)',
};

/** The status an error stands for: `extensions.status`, else its code, else the HTTP status, else 400. */
export function graphqlErrorStatus(error: GraphQLErrorBody | undefined, httpStatus: number): number {
  const ext = error?.extensions;
  if (typeof ext?.status === 'number' && ext.status >= 400) return ext.status;
  const byCode = ext?.code ? STATUS_BY_CODE[ext.code.toUpperCase()] : undefined;
  if (byCode) return byCode;
  return Math.max(httpStatus, 400);
}

/** One typed error for a GraphQL response that carries `errors[]` (whatever its HTTP status). */
export function scoutGraphQLError(
  errors: GraphQLErrorBody[],
  ctx: { httpStatus: number; method: string; url: string; operationName: string; requestId?: string },
): HttpError {
  const first = errors[0];
  const status = graphqlErrorStatus(first, ctx.httpStatus);
  const code = first?.extensions?.code;
  const messages = [...new Set(errors.map((e) => e.message).filter((m): m is string => Boolean(m)))];
  const hint = HINTS[status];
  const message = [
    `Docker Scout ${ctx.operationName}: ${messages.join('; ') || 'request failed'}`,
    code ? ` [${code}]` : '',
    hint ? ` — ${hint}` : '',
  ].join('');
  return makeHttpError({
    status,
    method: ctx.method,
    url: ctx.url,
    requestId: ctx.requestId,
    code,
    // `message` and `code` are what makeHttpError reads; the GraphQL errors are kept for callers.
    body: { message, code, graphqlErrors: errors },
  });
}
