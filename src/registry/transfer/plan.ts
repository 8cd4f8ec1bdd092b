/**
 * What an image consists of: the top manifest, the child manifests of an index (or one platform of
 * it), and the unique blobs (configs and layers) all of them reference. Pull and copy read it from a
 * registry, push from an OCI layout.
 */
import { ValidationError } from '../../core/errors.js';
import { formatPlatform, type ImageReference, parsePlatform, withDigest } from '../../reference/index.js';
import type { RegistryClient } from '../client.js';
import { selectChildren } from '../inspect.js';
import type { ManifestResult } from '../manifests.js';
import { type Descriptor, isIndex, type Manifest } from '../types.js';

export interface PlannedManifest {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Buffer;
  manifest: Manifest;
}

export interface TransferPlan {
  /** The manifest the reference resolves to (after platform selection). */
  top: PlannedManifest;
  /** Children of an index, to be written before it. Empty for a single image. */
  children: PlannedManifest[];
  /** Unique blobs, in first-seen order. */
  blobs: Descriptor[];
}

export function blobsOf(manifests: Manifest[]): Descriptor[] {
  const seen = new Map<string, Descriptor>();
  for (const m of manifests) {
    if (isIndex(m)) continue;
    for (const d of [m.config, ...m.layers]) if (!seen.has(d.digest)) seen.set(d.digest, d);
  }
  return [...seen.values()];
}

function planned(r: ManifestResult | PlannedManifest): PlannedManifest {
  return { digest: r.digest, mediaType: r.mediaType, size: r.size, bytes: r.bytes, manifest: r.manifest };
}

/** Reads the plan from a registry. With `platform`, an index narrows to that platform's image. */
export async function planFromRegistry(
  client: RegistryClient,
  ref: ImageReference,
  opts: { platform?: string; signal?: AbortSignal } = {},
): Promise<TransferPlan> {
  const top = await client.manifests.get(ref, { signal: opts.signal });
  if (!isIndex(top.manifest)) return { top: planned(top), children: [], blobs: blobsOf([top.manifest]) };
  if (opts.platform) {
    const want = parsePlatform(opts.platform);
    const [child] = selectChildren(top.manifest.manifests, want, true);
    if (!child) throw new ValidationError(`${ref} has no ${formatPlatform(want)} image`);
    const one = await client.manifests.get(withDigest(ref, child.digest), { signal: opts.signal });
    return { top: planned(one), children: [], blobs: blobsOf([one.manifest]) };
  }
  const children = await Promise.all(
    top.manifest.manifests.map((d) =>
      client.manifests.get(withDigest(ref, d.digest), { signal: opts.signal }),
    ),
  );
  if (children.some((c) => isIndex(c.manifest)))
    throw new ValidationError(`${ref}: nested indexes are not supported`);
  return {
    top: planned(top),
    children: children.map(planned),
    blobs: blobsOf(children.map((c) => c.manifest)),
  };
}
