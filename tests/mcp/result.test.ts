/**
 * Result shaping: a tool result always fits the byte cap (it lands in a model's context), says when it was
 * cut and how to get the rest, and never carries a secret unless it is a new token shown once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFoundError, RateLimitError, ValidationError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';
import { errorView } from '../../src/mcp/errors.js';
import { type Envelope, fitToLimits, ListPage, settle, toJsonValue } from '../../src/mcp/result.js';

const base: Envelope = { status: 'ok', data: null, rate_limit: null };
const size = (e: Envelope) => Buffer.byteLength(JSON.stringify(e));

describe('fitToLimits', () => {
  it('leaves a small result alone', () => {
    const e = { ...base, data: { name: 'app' } };
    expect(fitToLimits(e, { maxItems: 10, maxBytes: 1000 })).toEqual(e);
  });

  it('keeps the first items of a long list and says how to ask for fewer', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ name: `repo-${i}`, description: 'x'.repeat(50) }));
    const out = fitToLimits({ ...base, data: items, next: { page: 2 } }, { maxItems: 1000, maxBytes: 4096 });
    expect(out.truncated).toBe(true);
    expect(size(out)).toBeLessThanOrEqual(4096);
    const kept = out.data as typeof items;
    expect(kept.length).toBeGreaterThan(10);
    expect(kept[0]).toEqual(items[0]);
    expect(out.note).toMatch(/cut to \d+ of 500 items/);
    expect(out.next).toEqual({ page: 2 });
  });

  it('caps the number of items', () => {
    const out = fitToLimits(
      { ...base, data: Array.from({ length: 30 }, (_, i) => i) },
      { maxItems: 5, maxBytes: 10_000 },
    );
    expect(out.data).toEqual([0, 1, 2, 3, 4]);
    expect(out.truncated).toBe(true);
  });

  it('shortens long text and large nested lists of a single object', () => {
    const readme = 'r'.repeat(20_000);
    const data = {
      name: 'app',
      full_description: readme,
      layers: Array.from({ length: 2000 }, (_, i) => ({ i })),
    };
    const out = fitToLimits({ ...base, data }, { maxItems: 100, maxBytes: 8192 });
    expect(size(out)).toBeLessThanOrEqual(8192);
    const d = out.data as typeof data;
    expect(d.name).toBe('app');
    expect(d.full_description).toMatch(/… \[18000 more characters\]$/);
    expect(d.layers.length).toBeLessThan(2000);
    expect(out.truncated).toBe(true);
  });

  it('shortens the first item when not even one fits whole', () => {
    const out = fitToLimits(
      { ...base, data: [{ readme: 'x'.repeat(9000) }, { readme: 'y' }] },
      { maxItems: 10, maxBytes: 4096 },
    );
    expect(out.data).toEqual([{ readme: `${'x'.repeat(2000)}… [7000 more characters]` }]);
    expect(out.truncated).toBe(true);
  });

  it('always fits, whatever the data', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.array(fc.string({ maxLength: 6000 }), { maxLength: 30 })),
        fc.integer({ min: 2048, max: 20_000 }),
        (data, maxBytes) => {
          const out = fitToLimits({ ...base, data }, { maxItems: 50, maxBytes });
          expect(size(out)).toBeLessThanOrEqual(maxBytes);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('secrets in results', () => {
  it('redacts Secrets and credential-like keys, or reveals a new token once', () => {
    const value = {
      token: new Secret('dckr_pat_abcdefghijklmnop'),
      label: 'ci',
      nested: { password: 'hunter2hunter2' },
    };
    expect(toJsonValue(value, false)).toEqual({
      token: '[REDACTED]',
      label: 'ci',
      nested: { password: '[REDACTED]' },
    });
    expect(toJsonValue(value, true)).toEqual({
      token: 'dckr_pat_abcdefghijklmnop',
      label: 'ci',
      nested: { password: 'hunter2hunter2' },
    });
  });

  it('settles a list page into data, next and total', async () => {
    const out = await settle(Promise.resolve(new ListPage([{ a: 1 }], { page: 2 }, 7)), false);
    expect(out).toEqual({ data: [{ a: 1 }], next: { page: 2 }, total: 7 });
  });
});

describe('errorView', () => {
  it('carries the status, the code and a hint, never a stack', () => {
    const v = errorView(
      new NotFoundError('404 repository not found (GET https://hub.docker.com/v2/x)', {
        status: 404,
        code: 'NOT_FOUND',
      }),
    );
    expect(v).toMatchObject({ http_status: 404, code: 'NOT_FOUND', retryable: false });
    expect(v.hint).toMatch(/check the namespace/i);
    expect(JSON.stringify(v)).not.toMatch(/at .*\.ts:\d+/);
    const limited = errorView(new RateLimitError('429 slow down', { status: 429, retryAfterMs: 12_500 }));
    expect(limited).toMatchObject({ retry_after_seconds: 13, retryable: true });
    expect(limited.hint).toMatch(/wait 13 s/);
    expect(errorView(new ValidationError('bad')).hint).toMatch(/nothing was sent/);
    const internal = errorView(new TypeError('x is undefined; token=abcdefghijklmnopqrstu'));
    expect(internal.message).toBe('internal error: x is undefined; token=[REDACTED]');
  });
});
