/** Parses and validates a delivery body into a typed event, with errors that name the bad field. */
import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { deletePayloadSchema, pushPayloadSchema, type WebhookEvent } from './types.js';

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.join('.') || '(root)';
  return `${path}: ${issue.message}`;
}

export function parseWebhookPayload(input: string | Uint8Array | unknown): WebhookEvent {
  let json: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      json = JSON.parse(Buffer.from(input).toString('utf8'));
    } catch {
      throw new ValidationError('invalid webhook payload: body is not JSON');
    }
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ValidationError('invalid webhook payload: expected a JSON object');
  }
  if ('event' in json) {
    const parsed = deletePayloadSchema.safeParse(json);
    if (!parsed.success) throw new ValidationError(`invalid webhook payload: ${describe(parsed.error)}`);
    const p = parsed.data;
    return {
      kind: p.event,
      repository: p.repository.repo_name,
      tag: p.tag,
      actor: p.actor,
      at: new Date(p.deleted_at * 1000),
      payload: p,
    };
  }
  const parsed = pushPayloadSchema.safeParse(json);
  if (!parsed.success) throw new ValidationError(`invalid webhook payload: ${describe(parsed.error)}`);
  const p = parsed.data;
  return {
    kind: 'push',
    repository: p.repository.repo_name,
    tag: p.push_data.tag,
    pusher: p.push_data.pusher,
    at: new Date(p.push_data.pushed_at * 1000),
    payload: p,
  };
}
