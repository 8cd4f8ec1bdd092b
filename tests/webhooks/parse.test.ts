/**
 * Payload parsing as a consumer meets it: Docker Hub's documented push example becomes a typed event,
 * our delete extension is told apart, and a bad body fails with one line naming the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  createPushPayload,
  createRepositoryDeletePayload,
  createTagDeletePayload,
  parseWebhookPayload,
  webhookEventToJSON,
} from '../../src/webhooks/index.js';
import { hubExample, pushOf } from './fixtures.js';

function errorOf(input: unknown): string {
  try {
    parseWebhookPayload(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('parseWebhookPayload', () => {
  it("reads Docker Hub's documented push example, keeping every field", () => {
    const e = parseWebhookPayload(JSON.stringify(hubExample));
    expect(e).toMatchObject({
      kind: 'push',
      repository: 'svendowideit/testhook',
      tag: 'latest',
      pusher: 'trustedbuilder',
    });
    expect(e.at.toISOString()).toBe('2014-12-03T00:22:41.000Z');
    expect(e.payload).toEqual(hubExample);
  });

  it('accepts bytes and parsed objects alike, and unknown extra fields', () => {
    const bytes = Buffer.from(JSON.stringify({ ...pushOf('v1'), new_field: { x: 1 } }));
    const e = parseWebhookPayload(bytes);
    expect(e.kind === 'push' && e.tag).toBe('v1');
    expect(e.payload).toHaveProperty('new_field', { x: 1 });
    expect(parseWebhookPayload(pushOf('v2')).repository).toBe('acme/app');
  });

  it('reads the tag and repository delete extension', () => {
    const tag = parseWebhookPayload({
      event: 'tag_delete',
      deleted_at: 1_700_000_000,
      tag: 'old',
      digest: `sha256:${'a'.repeat(64)}`,
      actor: 'alice',
      repository: { repo_name: 'acme/app' },
    });
    expect(tag).toMatchObject({ kind: 'tag_delete', repository: 'acme/app', tag: 'old', actor: 'alice' });
    const repo = parseWebhookPayload({
      event: 'repository_delete',
      deleted_at: 1_700_000_000,
      repository: { repo_name: 'acme/gone' },
    });
    expect(repo).toMatchObject({ kind: 'repository_delete', repository: 'acme/gone' });
    expect(repo).not.toHaveProperty('tag');
  });

  it('fails in one line naming the missing or wrong field, never echoing values', () => {
    expect(errorOf('{nope')).toBe('invalid webhook payload: the body is not valid JSON');
    expect(errorOf('')).toBe('invalid webhook payload: the body is empty');
    expect(errorOf('[1]')).toBe('invalid webhook payload: expected a JSON object, got an array');
    expect(errorOf({ ...pushOf('t'), push_data: { pushed_at: 1, tag: 't' } })).toBe(
      'invalid webhook payload: missing field push_data.pusher',
    );
    expect(errorOf({ push_data: { pushed_at: 1, pusher: 'p', tag: 't' } })).toBe(
      'invalid webhook payload: missing field repository',
    );
    expect(errorOf({ ...pushOf('t'), repository: { repo_name: '' } })).toBe(
      'invalid webhook payload: repository.repo_name must not be empty',
    );
    expect(
      errorOf({ ...pushOf('t'), push_data: { pushed_at: 'yesterday-SECRETISH', pusher: 'p', tag: 't' } }),
    ).toBe('invalid webhook payload: push_data.pushed_at must be a number, got a string');
    expect(errorOf({ event: 'tag_delete', deleted_at: 1, repository: { repo_name: 'a/b' } })).toBe(
      'invalid webhook payload: missing field tag',
    );
    expect(errorOf({ event: 'push', ...pushOf('t') })).toBe(
      'invalid webhook payload: event must be one of "tag_delete", "repository_delete" (or absent for a push)',
    );
    expect(errorOf({})).toBe('invalid webhook payload: missing field push_data (and 1 more problem(s))');
  });

  it('never throws anything but a ValidationError, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.jsonValue()), (input) => {
        try {
          parseWebhookPayload(input);
        } catch (err) {
          expect(err).toBeInstanceOf(ValidationError);
          expect((err as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('payload builders (for senders such as the emulator)', () => {
  it('build payloads that parse back to the same event', () => {
    const at = new Date('2025-01-02T03:04:05Z');
    const push = createPushPayload({ repository: 'acme/app', tag: '1.0', pusher: 'ci', pushedAt: at });
    expect(push.repository).toMatchObject({ repo_name: 'acme/app', namespace: 'acme', name: 'app' });
    expect(parseWebhookPayload(JSON.stringify(push))).toMatchObject({ kind: 'push', tag: '1.0', at });
    const del = createTagDeletePayload({ repository: 'acme/app', tag: 'old', actor: 'bob', deletedAt: at });
    expect(parseWebhookPayload(del)).toMatchObject({ kind: 'tag_delete', tag: 'old', actor: 'bob', at });
    const gone = createRepositoryDeletePayload({ repository: 'acme/app' });
    expect(parseWebhookPayload(gone).kind).toBe('repository_delete');
    expect(() => createPushPayload({ repository: 'nginx', tag: 't', pusher: 'p' })).toThrow(
      'webhook repository must be "namespace/name", got "nginx"',
    );
  });

  it('print events as JSON with an ISO time', () => {
    const json = webhookEventToJSON(parseWebhookPayload(pushOf('v1')));
    expect(json).toMatchObject({ kind: 'push', at: '2023-11-14T22:13:20.000Z', tag: 'v1' });
    expect(JSON.parse(JSON.stringify(json)).payload.push_data.tag).toBe('v1');
  });
});
