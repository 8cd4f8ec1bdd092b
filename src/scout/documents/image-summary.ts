/** Vulnerability counts of one image and of the base image Scout matched it to. */
import { type SbomState, type ScoutContext, scoutDocument, type VulnerabilityCounts } from '../document.js';
import type { BaseImageFields } from './base-images.js';

export interface ImageSummaryVariables {
  context: ScoutContext;
  digest: string;
}

export interface ImageSummaryResult {
  imageSummariesByDigest: Array<{
    digest: string;
    sbomState: SbomState;
    vulnerabilityReport: VulnerabilityCounts | null;
  }>;
  baseImagesByDigest: Array<{ images: BaseImageFields[] }>;
}

export const ImageSummaryDocument = scoutDocument<ImageSummaryVariables, ImageSummaryResult>(`
query ImageSummary($context: Context!, $digest: String!) {
  imageSummariesByDigest(context: $context, digests: [$digest]) {
    digest
    sbomState
    vulnerabilityReport { critical high medium low unspecified total }
  }
  baseImagesByDigest(context: $context, digest: $digest) {
    images {
      digest
      tags { name current supported }
      repository { hostName repoName badge }
      vulnerabilityReport { critical high medium low unspecified total }
    }
  }
}
`);
