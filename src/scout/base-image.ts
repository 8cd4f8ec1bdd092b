/** Scout's base-image records as the SDK's `BaseImage`. */
import type { BaseImageFields } from './documents/base-images.js';
import type { BaseImage } from './types.js';

export function toBaseImage(image: BaseImageFields): BaseImage {
  const tags = image.tags.map((t) => t.name);
  const current = image.tags.find((t) => t.current)?.name;
  return {
    digest: image.digest,
    repository: `${image.repository.hostName}/${image.repository.repoName}`,
    tag: current ?? tags[0],
    tags,
    badge: image.repository.badge ?? undefined,
    vulnerabilities: image.vulnerabilityReport,
  };
}

/** `hub.docker.com/library/alpine:3.19` → `alpine:3.19`, as people write it. */
export function baseImageName(base: BaseImage): string {
  const repo = base.repository.replace(/^(hub\.docker\.com|docker\.io)\//, '').replace(/^library\//, '');
  return base.tag ? `${repo}:${base.tag}` : repo;
}
