/** The base images Scout matched an image's first layers to. */
import { type ScoutContext, scoutDocument, type VulnerabilityCounts } from '../document.js';

export interface BaseImageFields {
  digest: string;
  tags: Array<{ name: string; current: boolean; supported: boolean }>;
  repository: {
    hostName: string;
    repoName: string;
    badge: 'OFFICIAL_IMAGE' | 'OPEN_SOURCE' | 'VERIFIED_PUBLISHER' | null;
  };
  vulnerabilityReport: VulnerabilityCounts | null;
}

export interface BaseImagesVariables {
  context: ScoutContext;
  digest: string;
}

export interface BaseImagesResult {
  baseImagesByDigest: Array<{
    layerMatches: Array<{ layerOrdinal: number; layerDigest: string }>;
    images: BaseImageFields[];
  }>;
}

export const BaseImagesDocument = scoutDocument<BaseImagesVariables, BaseImagesResult>(`
query BaseImages($context: Context!, $digest: String!) {
  baseImagesByDigest(context: $context, digest: $digest) {
    layerMatches { layerOrdinal layerDigest }
    images {
      digest
      tags { name current supported }
      repository { hostName repoName badge }
      vulnerabilityReport { critical high medium low unspecified total }
    }
  }
}
`);
