/** Tags: `GET /v2/<name>/tags/list` with `n`/`last`, following `Link: <…>; rel="next"` page by page. */
import { type Page, PagedList, parseLinkNext } from '../core/pagination.js';
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import type { RegistryClient } from './client.js';

export interface TagListOptions {
  /** Page size hint (`n`). Registries may ignore it (distribution 2.8 does). */
  pageSize?: number;
  /** Start after this tag (`last`). */
  last?: string;
  signal?: AbortSignal;
}

export class Tags {
  constructor(private readonly client: RegistryClient) {}

  /** Every tag of a repository, streamed page by page: `for await (const tag of registry.tags.list('nginx'))`. */
  list(
    repo: string | Pick<ImageReference, 'registry' | 'repository'>,
    opts: TagListOptions = {},
  ): PagedList<string> {
    const ref = typeof repo === 'string' ? this.client.ref(repo) : repo;
    const repository = `${ref.registry}/${ref.repository}`;
    return new PagedList<string>((cursor) =>
      instrument('docker.tag.list', { repository }, async (span): Promise<Page<string>> => {
        const res = await this.client.fetch({
          repo: ref,
          method: 'GET',
          path: cursor ?? 'tags/list',
          query: cursor
            ? undefined
            : { n: opts.pageSize ? String(opts.pageSize) : undefined, last: opts.last },
          signal: opts.signal,
        });
        const body = (await res.body.json()) as { tags?: string[] | null };
        span.setAttributes({ count: body.tags?.length ?? 0 });
        return { items: body.tags ?? [], next: parseLinkNext(res.headers.link, res.url) };
      }),
    );
  }
}
