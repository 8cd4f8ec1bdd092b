/**
 * Parses and validates a delivery body into a typed event. Errors are one line and name the field
 * (`invalid webhook payload: missing field push_data.pusher`); they never echo the body's values.
 */
import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import {
  deletePayloadSchema,
  type PushPayload,
  pushPayloadSchema,
  type WebhookEvent,
  type WebhookPayload,
} from './types.js';

const PREFIX = 'invalid webhook payload';
const DELETE_EVENTS = ['tag_delete', 'repository_delete'] as const;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const field = issue.path.map(String).join('.') || '(body)';
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `missing field ${field}`;
      return `${field} must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, got ${typeName(value)}`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${field} must not be empty`
        : `${field} must be >= ${issue.minimum}`;
    default:
      return `${field}: ${issue.message}`;
  }
}

function fail(error: z.ZodError, input: unknown): never {
  const [first] = error.issues;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  throw new ValidationError(`${PREFIX}: ${first ? describeIssue(first, input) : 'rejected'}${more}`);
}

function toJson(input: unknown): unknown {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input;
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (!text.trim()) throw new ValidationError(`${PREFIX}: the body is empty`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(`${PREFIX}: the body is not valid JSON`);
  }
}

/** Validates an object as a payload (push, or one of our delete extensions) and returns it typed. */
export function validateWebhookPayload(input: unknown): WebhookPayload {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(`${PREFIX}: expected a JSON object, got ${typeName(input)}`);
  }
  const event = (input as Record<string, unknown>).event;
  if (event === undefined) {
    const parsed = pushPayloadSchema.safeParse(input);
    return parsed.success ? parsed.data : fail(parsed.error, input);
  }
  if (typeof event !== 'string' || !(DELETE_EVENTS as readonly string[]).includes(event)) {
    // Docker Hub's push payload has no `event` field; only our extension events carry one.
    throw new ValidationError(
      `${PREFIX}: event must be one of ${DELETE_EVENTS.map((e) => JSON.stringify(e)).join(', ')} (or absent for a push)`,
    );
  }
  const parsed = deletePayloadSchema.safeParse(input);
  return parsed.success ? parsed.data : fail(parsed.error, input);
}

function isPush(p: WebhookPayload): p is PushPayload {
  return !('event' in p) || p.event === undefined;
}

/**
 * Parses a delivery (a JSON string, raw bytes, or an already parsed object) into a typed event.
 * Throws `ValidationError` with a one-line message naming the bad or missing field.
 */
export function parseWebhookPayload(input: unknown): WebhookEvent {
  const payload = validateWebhookPayload(toJson(input));
  if (isPush(payload)) {
    return {
      kind: 'push',
      repository: payload.repository.repo_name,
      tag: payload.push_data.tag,
      pusher: payload.push_data.pusher,
      at: new Date(payload.push_data.pushed_at * 1000),
      payload,
    };
  }
  const at = new Date(payload.deleted_at * 1000);
  const repository = payload.repository.repo_name;
  if (payload.event === 'tag_delete') {
    return {
      kind: 'tag_delete',
      repository,
      tag: payload.tag,
      ...(payload.digest === undefined ? {} : { digest: payload.digest }),
      ...(payload.actor === undefined ? {} : { actor: payload.actor }),
      at,
      payload,
    };
  }
  return {
    kind: 'repository_delete',
    repository,
    ...(payload.actor === undefined ? {} : { actor: payload.actor }),
    at,
    payload,
  };
}

/** The event as one JSON object (what `webhooks listen` prints and pipes to `--exec`). */
export function webhookEventToJSON(event: WebhookEvent): Record<string, unknown> {
  const { payload, at, ...rest } = event;
  return { ...rest, at: at.toISOString(), payload };
}
