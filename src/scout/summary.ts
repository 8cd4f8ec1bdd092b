/** Image summary: vulnerability counts by severity and the matched base image (one round trip). */
import { NotFoundError } from '../core/errors.js';
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import { toBaseImage } from './base-image.js';
import type { ScoutClient } from './client.js';
import { ImageSummaryDocument } from './documents/index.js';
import type { ImageOptions, ImageSummary, ImageTarget } from './types.js';

export function imageSummary(
  scout: ScoutClient,
  image: string | ImageReference,
  opts: ImageOptions,
): Promise<ImageSummary> {
  return instrument('docker.scout.summary', { image: String(image) }, async (span) => {
    const target = await scout.resolve(image, opts);
    span.setAttributes({ digest: target.digest });
    const data = await scout.query(
      ImageSummaryDocument,
      { context: scout.context(opts.organization), digest: target.digest },
      { signal: opts.signal },
    );
    const found = data.imageSummariesByDigest.find((s) => s.digest === target.digest);
    if (!found) throw notAnalysed(target, opts.organization ?? scout.organization);
    const base = data.baseImagesByDigest[0]?.images[0];
    return {
      image: target,
      sbomState: found.sbomState,
      vulnerabilities: found.vulnerabilityReport,
      baseImage: base ? toBaseImage(base) : undefined,
    };
  });
}

/** The error for a digest Scout has no record of. */
export function notAnalysed(target: ImageTarget, organization: string | undefined): NotFoundError {
  const what = target.reference ? `${target.reference} (${target.digest})` : target.digest;
  const hint = organization
    ? `is it indexed in ${organization}?`
    : 'is it indexed? for a private image, give its organization (--org)';
  return new NotFoundError(`Docker Scout has no analysis of ${what}: ${hint}`, { status: 404 });
}
