/** A paged result that is not a plain list keeps its shape, and carries `next` and `total` like a list. */
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { fitToLimits, PagedValue, settle } from '../../src/mcp/result.js';

describe('PagedValue', () => {
  it('settles to its data with the next page and the total, secrets redacted', async () => {
    const value = new PagedValue(
      { format: 'spdx', document: { packages: [{ name: 'musl' }] }, token: new Secret('s3cr3t-value') },
      { page: 2, page_size: 1 },
      14,
    );
    const settled = await settle(Promise.resolve(value), false);
    expect(settled).toEqual({
      data: { format: 'spdx', document: { packages: [{ name: 'musl' }] }, token: '[REDACTED]' },
      next: { page: 2, page_size: 1 },
      total: 14,
    });
  });

  it('is cut like any object when it does not fit, keeping its next hint', async () => {
    const packages = Array.from({ length: 400 }, (_, i) => ({ name: `pkg-${i}`, note: 'x'.repeat(40) }));
    const settled = await settle(new PagedValue({ document: { packages } }, { page: 2 }, 900), false);
    const out = fitToLimits(
      { status: 'ok', rate_limit: null, ...settled },
      { maxItems: 100, maxBytes: 4096 },
    );
    expect(out.truncated).toBe(true);
    expect(out.next).toEqual({ page: 2 });
    expect(out.total).toBe(900);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThanOrEqual(4096);
    expect((out.data as { document: { packages: unknown[] } }).document.packages.length).toBeGreaterThan(0);
  });
});
