/** The software bill of materials of an image: packages, where they were found, and the layers. */
import { type SbomState, type ScoutContext, scoutDocument } from '../document.js';

export interface ImagePackagesVariables {
  context: ScoutContext;
  digest: string;
}

export interface ImagePackageFields {
  purl: string;
  name: string | null;
  namespace: string | null;
  version: string;
  type: string;
  author: string | null;
  description: string | null;
  licenses: string[];
}

export interface ImagePackagesResult {
  imagePackagesByDigest: {
    digest: string;
    sbomState: SbomState;
    imagePackages: {
      packages: Array<{ package: ImagePackageFields; locations: Array<{ path: string; diffId: string }> }>;
    };
    imageLayers: { layers: Array<{ diffId: string; ordinal: number }> };
  } | null;
}

export const ImagePackagesDocument = scoutDocument<ImagePackagesVariables, ImagePackagesResult>(`
query ImagePackages($context: Context!, $digest: String!) {
  imagePackagesByDigest(context: $context, digest: $digest) {
    digest
    sbomState
    imagePackages {
      packages {
        package { purl name namespace version type author description licenses }
        locations { path diffId }
      }
    }
    imageLayers {
      layers { diffId ordinal }
    }
  }
}
`);
