/** Manifests by tag or digest: GET/HEAD (the exact bytes pushed), PUT (checked, then stored), DELETE. */
import { isValidDigest } from '../../reference/digest.js';
import { isValidTag } from '../../reference/reference.js';
import { algorithmOf, digestOf } from '../../registry/verify.js';
import type { RequestContext } from './context.js';
import { digestInvalid, manifestUnknown, RegistryError } from './errors.js';
import { readSmallBody, sendEmpty } from './http.js';
import { parseManifest } from './manifest-parse.js';
import type { ManifestRecord } from './metadata.js';

/** Clients must be able to push 4 MB manifests; this leaves room above that. */
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;

function requireReference(reference: string): 'tag' | 'digest' {
  if (isValidDigest(reference)) return 'digest';
  if (reference.includes(':')) throw digestInvalid('invalid digest', { digest: reference });
  if (!isValidTag(reference))
    throw new RegistryError(400, 'MANIFEST_INVALID', 'invalid tag', { tag: reference });
  return 'tag';
}

export async function getManifest(ctx: RequestContext): Promise<void> {
  requireReference(ctx.reference);
  const record = ctx.store.manifest(ctx.name, ctx.reference);
  if (!record) throw manifestUnknown(ctx.reference);
  const bytes = await ctx.store.readManifest(record);
  ctx.res.writeHead(200, {
    'content-type': record.mediaType,
    'content-length': String(bytes.length),
    'docker-content-digest': record.digest,
    etag: `"${record.digest}"`,
  });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : bytes);
}

export async function putManifest(ctx: RequestContext): Promise<void> {
  const { name, reference, store } = ctx;
  const kind = requireReference(reference);
  const bytes = await readSmallBody(ctx.req, MAX_MANIFEST_BYTES);
  const parsed = parseManifest(bytes, ctx.req.headers['content-type']);
  const digest = kind === 'digest' ? digestOf(bytes, algorithmOf(reference)) : digestOf(bytes);
  if (kind === 'digest' && digest !== reference) {
    throw digestInvalid('provided digest did not match uploaded content', {
      expected: reference,
      actual: digest,
    });
  }
  await assertReferencesExist(ctx, parsed.blobs, parsed.manifests);

  const record: ManifestRecord = { digest, mediaType: parsed.mediaType, size: bytes.length };
  if (parsed.subject) record.subject = parsed.subject;
  if (parsed.artifactType) record.artifactType = parsed.artifactType;
  if (parsed.annotations) record.annotations = parsed.annotations;
  const tag = kind === 'tag' ? reference : undefined;
  await store.putManifest(name, record, bytes, tag);
  ctx.emit({
    action: 'push',
    repository: name,
    ...(tag ? { tag } : {}),
    digest,
    mediaType: record.mediaType,
    size: record.size,
    ...(ctx.actor ? { actor: ctx.actor } : {}),
  });
  const headers: Record<string, string> = {
    location: `/v2/${name}/manifests/${digest}`,
    'docker-content-digest': digest,
  };
  if (parsed.subject) headers['oci-subject'] = parsed.subject;
  sendEmpty(ctx.res, 201, headers);
}

/** Every blob and child manifest must already be in the repository; each missing one is reported. */
async function assertReferencesExist(ctx: RequestContext, blobs: string[], manifests: string[]) {
  const missing: string[] = [];
  for (const digest of new Set(blobs)) {
    if ((await ctx.store.blobSize(ctx.name, digest)) === undefined) missing.push(digest);
  }
  for (const digest of new Set(manifests)) {
    if (!ctx.store.manifest(ctx.name, digest)) missing.push(digest);
  }
  if (missing.length === 0) return;
  const message = 'manifest references a manifest or blob unknown to registry';
  throw new RegistryError(
    400,
    'MANIFEST_BLOB_UNKNOWN',
    message,
    { digest: missing[0] },
    {},
    missing.slice(1).map((digest) => ({ code: 'MANIFEST_BLOB_UNKNOWN', message, detail: { digest } })),
  );
}

export async function deleteManifest(ctx: RequestContext): Promise<void> {
  const { name, reference, store } = ctx;
  const kind = requireReference(reference);
  const record =
    kind === 'tag' ? await store.deleteTag(name, reference) : await store.deleteManifest(name, reference);
  if (!record) throw manifestUnknown(reference);
  ctx.emit({
    action: 'delete',
    repository: name,
    ...(kind === 'tag' ? { tag: reference } : {}),
    digest: record.digest,
    mediaType: record.mediaType,
    size: record.size,
    ...(ctx.actor ? { actor: ctx.actor } : {}),
  });
  sendEmpty(ctx.res, 202);
}
