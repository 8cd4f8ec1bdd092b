/**
 * Base image recommendations, as `docker scout recommendations` gives them: find the base image Scout
 * matched, then ask for tag recommendations for that base image (for an image with no known base, for
 * the image itself, e.g. an official image).
 */
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import { toBaseImage } from './base-image.js';
import type { ScoutClient } from './client.js';
import {
  BaseImagesDocument,
  type RecommendedTagFields,
  TagRecommendationsDocument,
} from './documents/index.js';
import type { ImageOptions, Recommendations, RecommendedTag } from './types.js';

export function recommendations(
  scout: ScoutClient,
  image: string | ImageReference,
  opts: ImageOptions,
): Promise<Recommendations> {
  return instrument('docker.scout.recommendations', { image: String(image) }, async (span) => {
    const target = await scout.resolve(image, opts);
    const context = scout.context(opts.organization);
    const bases = await scout.query(
      BaseImagesDocument,
      { context, digest: target.digest },
      { signal: opts.signal },
    );
    const base = bases.baseImagesByDigest[0]?.images[0];
    const subject = base?.digest ?? target.digest;
    const data = await scout.query(
      TagRecommendationsDocument,
      { context, digest: subject },
      { signal: opts.signal },
    );
    const found = data.tagRecommendationsByDigest;
    const first = found?.recommendations[0];
    span.setAttributes({ digest: target.digest, recommended: first?.recommendedTags.length ?? 0 });
    return {
      image: target,
      baseImage: base ? toBaseImage(base) : undefined,
      repository: found?.repository.name,
      current: first ? toRecommendedTag(first.currentTag) : undefined,
      recommended: (first?.recommendedTags ?? []).map(toRecommendedTag),
    };
  });
}

function toRecommendedTag(t: RecommendedTagFields): RecommendedTag {
  return {
    tag: t.tag.name,
    digest: t.digest,
    tags: t.tags,
    aliases: t.aliases,
    createdAt: t.createdAt,
    packageCount: t.packageCount,
    imageSize: t.imageSize,
    vulnerabilities: t.vulnerabilityReport,
    score: t.scoring?.total,
    summary: t.scoring?.summary,
    reasons: t.scoring?.details ?? [],
  };
}
