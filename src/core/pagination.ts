/**
 * Lists as async iterators that fetch one page at a time, so an org with 10,000 repositories or a
 * repository with 100,000 tags streams in bounded memory. `for await (const item of list)` walks every
 * item; `list.pages()` gives pages with their metadata.
 */

export interface Page<T> {
  items: T[];
  /** Cursor for the next page (a URL for Link/`next` pagination); undefined on the last page. */
  next?: string;
  /** Total count when the server says it (Hub `count`, SCIM `totalResults`). */
  total?: number;
}

export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

export class PagedList<T> implements AsyncIterable<T> {
  readonly #fetch: PageFetcher<T>;
  readonly #maxPages: number;

  constructor(fetch: PageFetcher<T>, opts: { maxPages?: number } = {}) {
    this.#fetch = fetch;
    this.#maxPages = opts.maxPages ?? Number.POSITIVE_INFINITY;
  }

  async *pages(): AsyncGenerator<Page<T>> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    for (let n = 0; n < this.#maxPages; n++) {
      const page = await this.#fetch(cursor);
      yield page;
      if (!page.next || seen.has(page.next)) return; // a repeated cursor would loop forever
      seen.add(page.next);
      cursor = page.next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Collects items, at most `limit` of them (default all). */
  async toArray(limit = Number.POSITIVE_INFINITY): Promise<T[]> {
    const out: T[] = [];
    if (limit <= 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/**
 * The `rel="next"` target of an RFC 8288 `Link` header, resolved against the request URL.
 * Registries send e.g. `</v2/foo/tags/list?n=100&last=x>; rel="next"`.
 */
export function parseLinkNext(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!m) continue;
    const params = m[2] ?? '';
    if (/(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(params)) {
      try {
        return new URL(m[1] ?? '', base).toString();
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
