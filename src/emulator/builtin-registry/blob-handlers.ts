/** Blobs (GET/HEAD with Range, DELETE) and blob uploads (POST, PATCH, PUT, GET status, DELETE). */
import { pipeline } from 'node:stream/promises';
import { isValidDigest } from '../../reference/digest.js';
import { isValidRepository } from '../../reference/reference.js';
import type { RequestContext } from './context.js';
import { blobUnknown, digestInvalid, RegistryError } from './errors.js';
import { declaredLength, drain, hasBody, parseContentRange, parseRangeHeader, sendEmpty } from './http.js';

export function requireDigest(value: string | null | undefined): string {
  if (!value || !isValidDigest(value)) throw digestInvalid('invalid digest', { digest: value ?? null });
  return value;
}

function blobHeaders(name: string, digest: string): Record<string, string> {
  return { location: `/v2/${name}/blobs/${digest}`, 'docker-content-digest': digest };
}

export async function getBlob(ctx: RequestContext): Promise<void> {
  const digest = requireDigest(ctx.reference);
  const size = await ctx.store.blobSize(ctx.name, digest);
  if (size === undefined) throw blobUnknown(digest);
  const range = parseRangeHeader(ctx.req.headers.range, size);
  if (range === 'unsatisfiable') {
    throw new RegistryError(
      416,
      'RANGE_INVALID',
      'requested range not satisfiable',
      { size },
      {
        'content-range': `bytes */${size}`,
      },
    );
  }
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    'docker-content-digest': digest,
    etag: `"${digest}"`,
    'accept-ranges': 'bytes',
    'content-length': String(range ? range.end - range.start + 1 : size),
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  ctx.res.writeHead(range ? 206 : 200, headers);
  if (ctx.req.method === 'HEAD' || size === 0) {
    ctx.res.end();
    return;
  }
  const stream = await ctx.store.openBlob(digest, range);
  await pipeline(stream, ctx.res).catch(() => ctx.res.destroy()); // the client went away
}

export async function deleteBlob(ctx: RequestContext): Promise<void> {
  const digest = requireDigest(ctx.reference);
  if (!(await ctx.store.deleteBlob(ctx.name, digest))) throw blobUnknown(digest);
  sendEmpty(ctx.res, 202, { 'docker-content-digest': digest });
}

/** POST: cross-repository mount, monolithic upload (`?digest=`), or a new session. */
export async function startUpload(ctx: RequestContext): Promise<void> {
  const { url, store, uploads, name } = ctx;
  const mount = url.searchParams.get('mount');
  const from = url.searchParams.get('from');
  // A mount the caller may not read from (or that fails) falls back to an upload session, as the spec allows.
  if (
    mount &&
    from &&
    isValidRepository(from) &&
    ctx.canPull(from) &&
    (await store.mount(name, from, mount))
  ) {
    await drain(ctx.req);
    sendEmpty(ctx.res, 201, blobHeaders(name, mount));
    return;
  }
  const digest = url.searchParams.get('digest');
  if (digest !== null && !mount) {
    requireDigest(digest);
    const session = await uploads.start(name);
    try {
      await uploads.finish(session, digest, ctx.req, { length: declaredLength(ctx.req) });
    } catch (err) {
      await uploads.cancel(session).catch(() => undefined);
      throw err;
    }
    sendEmpty(ctx.res, 201, blobHeaders(name, digest));
    return;
  }
  await drain(ctx.req);
  const session = await uploads.start(name);
  sendEmpty(ctx.res, 202, uploads.statusHeaders(session));
}

export async function patchUpload(ctx: RequestContext): Promise<void> {
  const session = ctx.uploads.get(ctx.name, ctx.reference);
  const range = parseContentRange(ctx.req.headers['content-range']);
  await ctx.uploads.append(session, ctx.req, { range, length: declaredLength(ctx.req) });
  sendEmpty(ctx.res, 202, ctx.uploads.statusHeaders(session));
}

/** PUT: the closing request, optionally with the last chunk; `?digest=` is the whole blob's. */
export async function finishUpload(ctx: RequestContext): Promise<void> {
  const session = ctx.uploads.get(ctx.name, ctx.reference);
  const digest = requireDigest(ctx.url.searchParams.get('digest'));
  const range = parseContentRange(ctx.req.headers['content-range']);
  const body = hasBody(ctx.req) ? ctx.req : undefined;
  await ctx.uploads.finish(session, digest, body, { range, length: declaredLength(ctx.req) });
  sendEmpty(ctx.res, 201, blobHeaders(ctx.name, digest));
}

export async function uploadStatus(ctx: RequestContext): Promise<void> {
  const session = ctx.uploads.get(ctx.name, ctx.reference);
  sendEmpty(ctx.res, 204, ctx.uploads.statusHeaders(session));
}

export async function cancelUpload(ctx: RequestContext): Promise<void> {
  const session = ctx.uploads.get(ctx.name, ctx.reference);
  await ctx.uploads.cancel(session);
  sendEmpty(ctx.res, 204);
}
