/** The packages Scout indexed in an image: the material of SBOMs. */
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import type { ScoutClient } from './client.js';
import { ImagePackagesDocument } from './documents/index.js';
import { notAnalysed } from './summary.js';
import type { ImageOptions, ImagePackages } from './types.js';
import { toPackageRef } from './vulnerabilities.js';

export function imagePackages(
  scout: ScoutClient,
  image: string | ImageReference,
  opts: ImageOptions,
): Promise<ImagePackages> {
  return instrument('docker.scout.packages', { image: String(image) }, async (span) => {
    const target = await scout.resolve(image, opts);
    const data = await scout.query(
      ImagePackagesDocument,
      { context: scout.context(opts.organization), digest: target.digest },
      { signal: opts.signal },
    );
    const found = data.imagePackagesByDigest;
    if (!found) throw notAnalysed(target, opts.organization ?? scout.organization);
    span.setAttributes({ digest: target.digest, count: found.imagePackages.packages.length });
    return {
      image: target,
      sbomState: found.sbomState,
      packages: found.imagePackages.packages.map(({ package: p, locations }) => ({
        ...toPackageRef(p),
        author: p.author ?? undefined,
        description: p.description ?? undefined,
        licenses: p.licenses,
        locations,
      })),
      layers: [...found.imageLayers.layers].sort((a, b) => a.ordinal - b.ordinal),
    };
  });
}
