/**
 * Undocumented endpoint: Docker Hub's catalog search, `GET /api/search/v4` (what hub.docker.com's search
 * box calls). It is not in the Hub API spec. The shape here follows the "Search API" OpenAPI document in
 * Docker's own docker/hub-mcp repository (specs/search.yaml) and the clients that read live answers:
 * `total` and `results[]`, paginated by `from` (offset) and `size` (at most 100), with `from + size`
 * capped at 2500. `pull_count` is a display string such as "1B+"; live answers also carry the exact
 * figure as `raw_pull_count`, which Docker's document does not list.
 */
import { ValidationError } from '../core/errors.js';
import { PagedList } from '../core/pagination.js';
import type { HubClient } from './client.js';

export const SEARCH_TYPES = ['image', 'plugin', 'extension'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];
export const SEARCH_BADGES = ['official', 'verified_publisher', 'open_source', 'none'] as const;
export type SearchBadge = (typeof SEARCH_BADGES)[number];
/** `from + size` may not exceed this: deeper results are out of reach. */
export const SEARCH_WINDOW = 2500;
const MAX_SIZE = 100;

export interface SearchParams {
  query: string;
  /** Results per request, 1-100 (default 25). */
  size?: number;
  /** Offset of the first result (default 0). */
  from?: number;
  type?: SearchType;
  badges?: SearchBadge[];
  /** Deprecated by Docker (used with products, not repositories). */
  categories?: string[];
  operating_systems?: string[];
  architectures?: string[];
  /** Default: best match. */
  sort?: 'updated_at' | 'pull_count';
  order?: 'asc' | 'desc';
}

export interface SearchResult {
  id: string;
  /** `namespace/repository`, or a bare name for Docker Official Images. */
  name: string;
  slug?: string;
  type?: string;
  publisher?: { id?: string; name?: string };
  created_at?: string;
  updated_at?: string;
  short_description?: string;
  badge?: SearchBadge | null;
  star_count?: number;
  /** A display figure such as "10K+". */
  pull_count?: string;
  /** The exact pull count: seen in live answers, absent from Docker's search document. */
  raw_pull_count?: number;
  operating_systems?: Array<{ name: string; label?: string }>;
  architectures?: Array<{ name: string; label?: string }>;
  logo_url?: { large?: string | null; small?: string | null } | null;
  categories?: Array<{ slug?: string; name?: string }>;
  extension_reviewed?: boolean;
  archived?: boolean;
  [key: string]: unknown;
}

interface SearchPage {
  total?: number;
  results?: SearchResult[];
}

function validate(p: SearchParams): void {
  if (!p.query?.trim()) throw new ValidationError('search: give a search term');
  const size = p.size ?? 25;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE)
    throw new ValidationError(`search: size must be an integer from 1 to ${MAX_SIZE}, got ${p.size}`);
  const from = p.from ?? 0;
  if (!Number.isInteger(from) || from < 0 || from >= SEARCH_WINDOW)
    throw new ValidationError(
      `search: from must be an integer from 0 to ${SEARCH_WINDOW - 1}, got ${p.from}`,
    );
  if (p.type !== undefined && !SEARCH_TYPES.includes(p.type))
    throw new ValidationError(`search: unknown type "${p.type}"; valid: ${SEARCH_TYPES.join(', ')}`);
  for (const b of p.badges ?? []) {
    if (!SEARCH_BADGES.includes(b))
      throw new ValidationError(`search: unknown badge "${b}"; valid: ${SEARCH_BADGES.join(', ')}`);
  }
}

const joined = (values: string[] | undefined) => (values?.length ? values.join(',') : undefined);

export class Search {
  constructor(private readonly hub: HubClient) {}

  /**
   * Undocumented endpoint: searches public repositories. `for await` walks results page by page (each
   * page one request of `size` results) until the end or the 2500-result window.
   */
  list(params: SearchParams): PagedList<SearchResult> {
    validate(params);
    const size = params.size ?? 25;
    const query = {
      query: params.query.trim(),
      type: params.type,
      badges: joined(params.badges),
      categories: joined(params.categories),
      operating_systems: joined(params.operating_systems),
      architectures: joined(params.architectures),
      sort: params.sort,
      order: params.order,
    };
    return new PagedList<SearchResult>(async (cursor) => {
      const from = cursor === undefined ? (params.from ?? 0) : Number(cursor);
      // The last page inside the window is shortened rather than refused.
      const pageSize = Math.min(size, SEARCH_WINDOW - from);
      const page = await this.hub.call<SearchPage>({
        method: 'GET',
        path: '/api/search/v4',
        query: { ...query, from, size: pageSize },
        operation: 'docker.search.list',
      });
      const items = page.results ?? [];
      const next = from + items.length;
      const more =
        items.length === pageSize && next < SEARCH_WINDOW && (page.total === undefined || next < page.total);
      return { items, next: more ? String(next) : undefined, total: page.total };
    });
  }
}
