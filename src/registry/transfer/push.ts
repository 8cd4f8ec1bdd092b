/**
 * Push from an OCI image layout: every blob first (concurrently, skipping those the registry has),
 * then child manifests, then the top manifest under the tag, so no manifest ever points at a missing
 * blob. Manifest bytes are sent verbatim, so digests are preserved.
 */
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { instrument, recordTransfer } from '../../core/telemetry.js';
import { type ImageReference, withDigest, withTag } from '../../reference/index.js';
import type { RegistryClient } from '../client.js';
import { isIndex } from '../types.js';
import type { BlobSource } from '../uploads.js';
import { DockerArchive } from './docker-archive.js';
import { DEFAULT_CONCURRENCY, type TransferOptions } from './events.js';
import { OciLayoutReader } from './layout.js';
import { runEach } from './limit.js';
import { blobsOf, type PlannedManifest, type TransferPlan } from './plan.js';

export interface PushResult {
  reference: string;
  digest: string;
  mediaType: string;
  blobs: number;
  uploaded: number;
  skipped: number;
  bytes: number;
}

/**
 * `DIR`, `DIR:TAG`, `FILE.tar` or `FILE.tar:TAG` (the tag selects an image in a layout or archive
 * holding several; for an archive it may be a full `repo:tag`).
 */
export function splitLayoutArg(arg: string): { dir: string; tag?: string } {
  const tar = /^(.+?\.tar)(?::(.+))?$/.exec(arg);
  if (tar) return { dir: tar[1] as string, tag: tar[2] };
  const i = arg.lastIndexOf(':');
  if (i > 0 && !arg.slice(i + 1).includes('/')) return { dir: arg.slice(0, i), tag: arg.slice(i + 1) };
  return { dir: arg };
}

export async function planFromLayout(reader: OciLayoutReader, tag?: string): Promise<TransferPlan> {
  const desc = await reader.find(tag);
  const topRead = await reader.manifest(desc.digest);
  const top: PlannedManifest = {
    digest: desc.digest,
    mediaType: desc.mediaType,
    size: desc.size,
    ...topRead,
  };
  if (!isIndex(top.manifest)) return { top, children: [], blobs: blobsOf([top.manifest]) };
  const children = await Promise.all(
    top.manifest.manifests.map(async (d) => ({
      digest: d.digest,
      mediaType: d.mediaType,
      size: d.size,
      ...(await reader.manifest(d.digest)),
    })),
  );
  return { top, children, blobs: blobsOf(children.map((c) => c.manifest)) };
}

/** Uploads the plan's blobs with `openBlob`, then its manifests: children by digest, top by `ref`. */
export async function pushPlan(
  client: RegistryClient,
  plan: TransferPlan,
  ref: ImageReference,
  openBlob: (digest: string) => BlobSource,
  opts: TransferOptions & { mountFrom?: string },
): Promise<{ uploaded: number; skipped: number; bytes: number }> {
  const bytes = plan.blobs.reduce((n, b) => n + b.size, 0);
  opts.onProgress?.({ type: 'plan', blobs: plan.blobs.length, bytes });
  let uploaded = 0;
  let skipped = 0;
  await runEach(plan.blobs, opts.concurrency ?? DEFAULT_CONCURRENCY, opts.signal, async (b, signal) => {
    opts.onProgress?.({ type: 'blob-start', digest: b.digest, size: b.size });
    const outcome = await client.uploads.upload(ref, b.digest, b.size, openBlob(b.digest), {
      signal,
      mountFrom: opts.mountFrom,
      onProgress: (n) =>
        opts.onProgress?.({ type: 'blob-progress', digest: b.digest, size: b.size, bytes: n }),
    });
    if (outcome === 'uploaded') uploaded++;
    else skipped++;
    opts.onProgress?.({ type: 'blob-done', digest: b.digest, size: b.size, outcome });
  });
  for (const child of plan.children) {
    await client.manifests.put(withDigest(ref, child.digest), child.bytes, child.mediaType, {
      signal: opts.signal,
    });
    opts.onProgress?.({ type: 'manifest', digest: child.digest, mediaType: child.mediaType });
  }
  const target = ref.tag ? withTag(ref, ref.tag) : withDigest(ref, plan.top.digest);
  const put = await client.manifests.put(target, plan.top.bytes, plan.top.mediaType, { signal: opts.signal });
  opts.onProgress?.({
    type: 'manifest',
    digest: put.digest,
    mediaType: plan.top.mediaType,
    reference: ref.toString(),
  });
  return { uploaded, skipped, bytes };
}

export async function pushImage(
  client: RegistryClient,
  layout: string,
  input: string | ImageReference,
  opts: TransferOptions = {},
): Promise<PushResult> {
  const ref = client.ref(input);
  const { dir, tag } = splitLayoutArg(layout);
  const isArchive = (await stat(dir).catch(() => undefined))?.isFile() ?? false;
  return instrument('docker.image.push', { image: ref.toString() }, async (span) => {
    let plan: TransferPlan;
    let open: (digest: string, offset: number) => Readable;
    if (isArchive) {
      ({ plan, open } = await (await DockerArchive.open(dir)).plan(tag));
    } else {
      const reader = new OciLayoutReader(dir);
      plan = await planFromLayout(reader, tag);
      open = (digest, offset) => reader.open(digest, offset);
    }
    const result = await pushPlan(
      client,
      plan,
      ref,
      (digest) => async (offset) => open(digest, offset),
      opts,
    );
    recordTransfer('push');
    span.setAttributes({ digest: plan.top.digest, count: plan.blobs.length, size: result.bytes });
    opts.onProgress?.({ type: 'done', digest: plan.top.digest, reference: ref.toString() });
    return {
      reference: ref.toString(),
      digest: plan.top.digest,
      mediaType: plan.top.mediaType,
      blobs: plan.blobs.length,
      ...result,
    };
  });
}
