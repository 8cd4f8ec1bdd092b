/**
 * Undocumented endpoint: catalog search, `GET /api/search/v4`, over the emulator's public repositories
 * (name, namespace and description match the query, case-insensitively). Pagination by `from`/`size`
 * with Docker's limits (size ≤ 100, from + size ≤ 2500); filters by `type`, `badges`, `operating_systems`,
 * `architectures` and `categories`. Emulated repositories are all images with no platform or category
 * data, so the last three filters match nothing. Library repositories carry the `official` badge.
 */
import { badRequest, type EmulatorEnv, fail, type Json, type Route, route, send } from '../http.js';
import type { EmulatedRepository } from '../state.js';

const TYPES = ['image', 'plugin', 'extension'];
const BADGES = ['official', 'verified_publisher', 'open_source', 'none'];
const WINDOW = 2500;

/** Docker Hub shows pulls rounded down with a plus: 1234 → "1K+", 2.5e9 → "2B+". */
function displayPulls(n: number): string {
  for (const [unit, size] of [
    ['B', 1e9],
    ['M', 1e6],
    ['K', 1e3],
  ] as const) {
    if (n >= size) return `${Math.floor(n / size)}${unit}+`;
  }
  return String(n);
}

function badgeOf(r: EmulatedRepository): string {
  return r.namespace === 'library' ? 'official' : 'none';
}

function resultView(r: EmulatedRepository): Json {
  const name = r.namespace === 'library' ? r.name : `${r.namespace}/${r.name}`;
  return {
    id: name,
    name,
    slug: name,
    type: 'image',
    publisher: { id: r.namespace, name: r.namespace },
    created_at: r.date_registered,
    updated_at: r.last_updated ?? r.date_registered,
    short_description: r.description,
    badge: badgeOf(r),
    star_count: r.star_count,
    pull_count: displayPulls(r.pull_count),
    raw_pull_count: r.pull_count,
    operating_systems: [],
    architectures: [],
    logo_url: {},
    categories: [],
    extension_reviewed: false,
    archived: false,
  };
}

/** Best match first: an exact name, then a name containing the term, then a description. */
function score(r: EmulatedRepository, term: string): number {
  if (r.name === term || `${r.namespace}/${r.name}` === term) return 3;
  if (`${r.namespace}/${r.name}`.includes(term)) return 2;
  return r.description.toLowerCase().includes(term) ? 1 : 0;
}

const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : []);

function integer(v: string | null, fallback: number): number | undefined {
  if (v === null || v === '') return fallback;
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

export function searchRoutes({ state }: EmulatorEnv): Route[] {
  return [
    route('GET', '/api/search/v4', (ctx) => {
      const q = ctx.url.searchParams;
      const term = (q.get('query') ?? '').trim().toLowerCase();
      if (!term) return badRequest(ctx, 'query is required');
      const from = integer(q.get('from'), 0);
      const size = integer(q.get('size'), 10);
      if (from === undefined || size === undefined || size > 100 || from + size > WINDOW)
        return fail(
          ctx,
          400,
          `from and size must be integers, size at most 100, from + size at most ${WINDOW}`,
        );
      const type = q.get('type');
      if (type && !TYPES.includes(type)) return badRequest(ctx, `unknown type "${type}"`);
      const badges = list(q.get('badges'));
      const badBadge = badges.find((b) => !BADGES.includes(b));
      if (badBadge) return badRequest(ctx, `unknown badge "${badBadge}"`);
      const sort = q.get('sort');
      if (sort && sort !== 'pull_count' && sort !== 'updated_at')
        return badRequest(ctx, `unknown sort "${sort}"`);
      const descending = q.get('order') !== 'asc';
      // Every emulated repository is an image with no platform or category data.
      const unmatchable =
        (Boolean(type) && type !== 'image') ||
        ['operating_systems', 'architectures', 'categories'].some((k) => list(q.get(k)).length > 0);

      const matches = [...state.repositories.values()]
        .filter((r) => !r.is_private && score(r, term) > 0)
        .filter((r) => badges.length === 0 || badges.includes(badgeOf(r)))
        .filter(() => !unmatchable);
      const key = (r: EmulatedRepository) =>
        sort === 'pull_count' ? r.pull_count : Date.parse(r.last_updated ?? r.date_registered);
      matches.sort((a, b) =>
        sort
          ? (descending ? -1 : 1) * (key(a) - key(b))
          : score(b, term) - score(a, term) || a.name.localeCompare(b.name),
      );
      send(ctx.res, 200, {
        total: matches.length,
        results: matches.slice(from, from + size).map(resultView),
      });
    }),
  ];
}
