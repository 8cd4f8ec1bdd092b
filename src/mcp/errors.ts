/**
 * Failures as results the model can act on: the API's message, its HTTP status and code, and a hint of
 * what to do next. Everything passes through redaction; no stack trace ever leaves the server.
 */
import {
  AbortError,
  AuthenticationError,
  CircuitOpenError,
  ConflictError,
  ConnectionError,
  DestructiveOperationBlockedError,
  DigestMismatchError,
  DockerHubError,
  InvalidReferenceError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnsupportedError,
  ValidationError,
} from '../core/errors.js';
import { redactText } from '../core/redact.js';
import type { ErrorView } from './result.js';

function hintFor(err: unknown): string {
  if (err instanceof DestructiveOperationBlockedError)
    return 'The server refuses destructive operations; its operator enables them with DOCKERHUB_ALLOW_DESTRUCTIVE=true.';
  if (err instanceof RateLimitError)
    return err.retryAfterMs !== undefined
      ? `Rate limited: wait ${Math.ceil(err.retryAfterMs / 1000)} s before retrying.`
      : 'Rate limited: wait before retrying, and make fewer calls (larger pages, HEAD-based checks).';
  if (err instanceof AuthenticationError)
    return "Docker Hub did not accept the server's credentials. They come from the server's environment (DOCKER_HUB_USER/DOCKER_HUB_TOKEN, or a docker login), never from tool arguments: ask the user to fix them.";
  if (err instanceof PermissionDeniedError)
    return 'The account lacks permission for this (an organization role or a token scope); check the name, or ask the user for access.';
  if (err instanceof NotFoundError)
    return 'Nothing by that name: check the namespace, repository, tag or id (a private repository looks missing without access); a list action shows what exists.';
  if (err instanceof ConflictError)
    return 'It exists already or conflicts with the current state; read it first.';
  if (err instanceof InvalidReferenceError || err instanceof ValidationError)
    return 'Fix the parameters and call again; nothing was sent.';
  if (err instanceof DigestMismatchError)
    return 'The content did not match its digest: the registry or a proxy altered it. Do not trust it; retry later.';
  if (err instanceof AbortError) return 'The call was cancelled; nothing more was done.';
  if (err instanceof CircuitOpenError)
    return 'Recent requests to this host kept failing; wait about 30 s before retrying.';
  if (err instanceof ConnectionError) return 'The host could not be reached or timed out; retry later.';
  if (err instanceof UnsupportedError) return 'This registry or account does not support it.';
  if (err instanceof DockerHubError && err.status !== undefined && err.status >= 500)
    return 'Docker Hub or the registry failed; retry later.';
  if (err instanceof DockerHubError) return 'Read the message; change the request before retrying.';
  return 'An unexpected error inside the server; report it if it persists.';
}

/**
 * The error part of the envelope. `hint` is the tool's or action's own advice for errors where the
 * generic hint would mislead; when it returns undefined the generic one stands.
 */
export function errorView(err: unknown, hint?: (err: unknown) => string | undefined): ErrorView {
  const advice = hint?.(err) ?? hintFor(err);
  if (err instanceof DockerHubError) {
    return {
      message: redactText(err.message),
      http_status: err.status,
      code: err.code,
      retryable: err.retryable,
      retry_after_seconds:
        err instanceof RateLimitError && err.retryAfterMs !== undefined
          ? Math.ceil(err.retryAfterMs / 1000)
          : undefined,
      hint: advice,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `internal error: ${redactText(message)}`, hint: advice };
}
