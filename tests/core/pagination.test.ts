import { describe, expect, it } from 'vitest';
import { APIPromise } from '../../src/core/api-promise.js';
import { PagedList, parseLinkNext } from '../../src/core/pagination.js';

describe('PagedList', () => {
  const pages = [{ items: [1, 2], next: 'p2' }, { items: [3, 4], next: 'p3' }, { items: [5] }];
  const fetched: Array<string | undefined> = [];
  const list = () =>
    new PagedList<number>(async (cursor) => {
      fetched.push(cursor);
      return pages[cursor === undefined ? 0 : Number(cursor.slice(1)) - 1]!;
    });

  it('walks every item across pages with for await', async () => {
    fetched.length = 0;
    const items: number[] = [];
    for await (const n of list()) items.push(n);
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(fetched).toEqual([undefined, 'p2', 'p3']);
  });

  it('fetches no more pages than needed for a limit', async () => {
    fetched.length = 0;
    expect(await list().toArray(3)).toEqual([1, 2, 3]);
    expect(fetched).toEqual([undefined, 'p2']);
    expect(await list().toArray(0)).toEqual([]);
  });

  it('stops on a repeated cursor instead of looping forever', async () => {
    const looping = new PagedList<number>(async () => ({ items: [1], next: 'same' }));
    expect(await looping.toArray()).toEqual([1, 1]);
  });
});

describe('parseLinkNext', () => {
  it('resolves a relative next link against the request URL', () => {
    expect(
      parseLinkNext('</v2/a/tags/list?n=2&last=b>; rel="next"', 'http://r:5000/v2/a/tags/list?n=2'),
    ).toBe('http://r:5000/v2/a/tags/list?n=2&last=b');
  });
  it('picks rel=next among several links and ignores others', () => {
    expect(parseLinkNext('<https://x/prev>; rel="prev", <https://x/next>; rel=next', 'https://x/')).toBe(
      'https://x/next',
    );
    expect(parseLinkNext('<https://x/prev>; rel="prev"', 'https://x/')).toBeUndefined();
    expect(parseLinkNext(undefined, 'https://x/')).toBeUndefined();
  });
});

describe('APIPromise', () => {
  it('resolves to data, and gives the response on request', async () => {
    const response = { status: 200, headers: { a: 'b' }, url: 'u', method: 'GET' };
    const p = new APIPromise(Promise.resolve({ data: 42, response }));
    expect(await p).toBe(42);
    expect(await p.withResponse()).toEqual({ data: 42, response });
    expect(await p.asResponse()).toBe(response);
  });
  it('propagates failures to await and catch', async () => {
    const p = new APIPromise<number>(Promise.reject(new Error('boom')));
    await expect(p).rejects.toThrow('boom');
    expect(await p.catch((e: unknown) => (e as Error).message)).toBe('boom');
  });
});
