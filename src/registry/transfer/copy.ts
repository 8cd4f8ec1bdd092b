/**
 * Copy between repositories and registries, multi-arch aware. Blobs stream from the source registry
 * straight into the destination (the destination verifies each digest); blobs the destination has are
 * skipped; on one registry they are mounted, so no layer data moves. Manifests are copied byte for byte
 * (children first), so every digest, the index digest included, is kept. With `referrers`, the
 * attestations and SBOMs that refer to the image are copied as well.
 */
import { ValidationError } from '../../core/errors.js';
import { instrument, recordTransfer } from '../../core/telemetry.js';
import { type ImageReference, parseReference, withDigest } from '../../reference/index.js';
import type { RegistryClient } from '../client.js';
import type { TransferOptions } from './events.js';
import { planFromRegistry } from './plan.js';
import { type PushResult, pushPlan } from './push.js';

export interface CopyResult extends Omit<PushResult, 'reference'> {
  source: string;
  destination: string;
  /** Referrers copied along (with `referrers: true`). */
  referrers: number;
}

export interface CopyOptions extends TransferOptions {
  /** Also copy the referrers (signatures, SBOMs, attestations) of the image. */
  referrers?: boolean;
}

async function copyOne(client: RegistryClient, src: ImageReference, dst: ImageReference, opts: CopyOptions) {
  const plan = await planFromRegistry(client, src, opts);
  const sameRegistry = src.registry === dst.registry;
  const result = await pushPlan(
    client,
    plan,
    dst,
    (digest) => async (offset, signal) => (await client.blobs.open(src, digest, { offset, signal })).stream,
    { ...opts, mountFrom: sameRegistry ? src.repository : undefined },
  );
  return { plan, result };
}

export async function copyImage(
  client: RegistryClient,
  source: string | ImageReference,
  destination: string | ImageReference,
  opts: CopyOptions = {},
): Promise<CopyResult> {
  const src = client.ref(source);
  const dst = client.ref(destination);
  return instrument(
    'docker.image.copy',
    { image: src.toString(), destination: dst.toString() },
    async (span) => {
      const { plan, result } = await copyOne(client, src, dst, opts);
      let referrers = 0;
      if (opts.referrers) {
        const found = await client.referrers.list(withDigest(src, plan.top.digest), { signal: opts.signal });
        for (const d of found.referrers) {
          const into = parseReference(`${dst.registry}/${dst.repository}@${d.digest}`);
          await copyOne(client, withDigest(src, d.digest), into, {
            ...opts,
            platform: undefined,
          });
          referrers++;
        }
        if (found.source === 'tag-schema' && found.referrers.length > 0) {
          // Registries without the referrers API find them through the tag schema: copy that tag too.
          const tag = plan.top.digest.replace(':', '-');
          const index = await client.manifests.get(
            parseReference(`${src.registry}/${src.repository}:${tag}`),
          );
          await client.manifests.put(
            parseReference(`${dst.registry}/${dst.repository}:${tag}`),
            index.bytes,
            index.mediaType,
          );
        }
      }
      recordTransfer('copy');
      span.setAttributes({ digest: plan.top.digest, count: plan.blobs.length, size: result.bytes });
      opts.onProgress?.({ type: 'done', digest: plan.top.digest, reference: dst.toString() });
      return {
        source: src.toString(),
        destination: dst.toString(),
        digest: plan.top.digest,
        mediaType: plan.top.mediaType,
        blobs: plan.blobs.length,
        ...result,
        referrers,
      };
    },
  );
}

/** Re-puts a manifest under another tag of the same repository: no blob traffic. */
export async function tagImage(
  client: RegistryClient,
  source: string | ImageReference,
  newTag: string,
  opts: { signal?: AbortSignal } = {},
): Promise<{ reference: string; digest: string }> {
  const src = client.ref(source);
  const target =
    newTag.includes('/') || newTag.includes('@')
      ? client.ref(newTag)
      : parseReference(`${src.registry}/${src.repository}:${newTag}`);
  if (target.registry !== src.registry || target.repository !== src.repository) {
    throw new ValidationError(
      `tag stays within ${src.registry}/${src.repository}; use copy to put the image elsewhere`,
    );
  }
  const manifest = await client.manifests.get(src, { signal: opts.signal });
  const put = await client.manifests.put(target, manifest.bytes, manifest.mediaType, { signal: opts.signal });
  return { reference: target.toString(), digest: put.digest };
}
