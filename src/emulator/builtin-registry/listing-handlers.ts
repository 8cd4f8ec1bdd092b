/** Content discovery: tags (with `n`/`last` and a `Link` to the next page), referrers, and the catalog. */
import { MediaType } from '../../registry/media-types.js';
import { requireDigest } from './blob-handlers.js';
import type { RequestContext } from './context.js';
import { nameUnknown, RegistryError } from './errors.js';
import { sendJson } from './http.js';

/** One page of a sorted list after `last`, with the `Link` header for the next page when there is one. */
function page(ctx: RequestContext, all: string[], path: string) {
  const nParam = ctx.url.searchParams.get('n');
  const last = ctx.url.searchParams.get('last');
  let n: number | undefined;
  if (nParam !== null) {
    n = Number(nParam);
    if (nParam === '' || !Number.isSafeInteger(n) || n < 0) {
      throw new RegistryError(400, 'PAGINATION_NUMBER_INVALID', 'invalid number of results requested', {
        n: nParam,
      });
    }
  }
  const after = last === null ? all : all.filter((item) => item > last);
  const items = n === undefined ? after : after.slice(0, n);
  const headers: Record<string, string> = {};
  if (n !== undefined && n > 0 && after.length > n) {
    const next = new URLSearchParams({ n: String(n), last: items[items.length - 1]! });
    headers.link = `<${path}?${next}>; rel="next"`;
  }
  return { items, headers };
}

export async function listTags(ctx: RequestContext): Promise<void> {
  const tags = ctx.store.tags(ctx.name);
  if (!tags) throw nameUnknown(ctx.name);
  const { items, headers } = page(ctx, tags, `/v2/${ctx.name}/tags/list`);
  sendJson(ctx.res, 200, { name: ctx.name, tags: items }, headers);
}

export async function listCatalog(ctx: RequestContext): Promise<void> {
  const { items, headers } = page(ctx, ctx.store.catalog(), '/v2/_catalog');
  sendJson(ctx.res, 200, { repositories: items }, headers);
}

/** Referrers of a digest as an OCI index; `artifactType` filters (several values: any of them). */
export async function listReferrers(ctx: RequestContext): Promise<void> {
  requireDigest(ctx.reference);
  const wanted = ctx.url.searchParams.getAll('artifactType').filter(Boolean);
  const manifests = ctx.store
    .referrers(ctx.name, ctx.reference)
    .filter((m) => wanted.length === 0 || (m.artifactType !== undefined && wanted.includes(m.artifactType)))
    .map((m) => ({
      mediaType: m.mediaType,
      digest: m.digest,
      size: m.size,
      ...(m.artifactType ? { artifactType: m.artifactType } : {}),
      ...(m.annotations ? { annotations: m.annotations } : {}),
    }));
  const headers: Record<string, string> = { 'content-type': MediaType.OciIndex };
  if (wanted.length > 0) headers['oci-filters-applied'] = 'artifactType';
  sendJson(ctx.res, 200, { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests }, headers);
}
