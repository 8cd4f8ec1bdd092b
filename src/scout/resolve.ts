/**
 * Image arguments to digests. Scout knows images by manifest digest, so a tag is resolved with the
 * registry first: a HEAD (not a counted pull on Docker Hub); for a multi-platform index, the manifest of
 * the requested platform (default: this machine's), as `docker scout` does.
 */
import { type ImageReference, isValidDigest, parseReference } from '../reference/index.js';
import type { RegistryClient } from '../registry/client.js';
import { resolveImageManifest } from '../registry/inspect.js';
import { isIndexMediaType } from '../registry/media-types.js';
import type { ImageOptions, ImageTarget } from './types.js';

export async function resolveImage(
  registry: RegistryClient,
  image: string | ImageReference,
  opts: ImageOptions = {},
): Promise<ImageTarget> {
  if (typeof image === 'string' && isValidDigest(image)) return { digest: image };
  const ref = typeof image === 'string' ? parseReference(image) : image;
  const reference = ref.toString();
  if (ref.digest && !opts.platform) return { digest: ref.digest, reference };
  if (!opts.platform) {
    const head = await registry.manifests.head(ref, { signal: opts.signal });
    if (!isIndexMediaType(head.mediaType)) return { digest: head.digest, reference };
  }
  const picked = await resolveImageManifest(registry, ref, { platform: opts.platform, signal: opts.signal });
  return { digest: picked.digest, reference, platform: picked.platform };
}
