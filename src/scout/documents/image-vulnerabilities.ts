/** Every package of an image with the vulnerabilities that affect it. */
import { type CvssSeverity, type SbomState, type ScoutContext, scoutDocument } from '../document.js';

export interface ImageVulnerabilitiesVariables {
  context: ScoutContext;
  digest: string;
}

export interface PackageVulnerabilityFields {
  sourceId: string;
  source: string;
  description: string | null;
  url: string;
  fixedBy: string | null;
  vulnerableRange: string;
  publishedAt: string | null;
  cisaExploited: boolean;
  isExcepted: boolean;
  cvss: { severity: CvssSeverity | null; score: number | null; vector: string | null };
  cwes: Array<{ cweId: string }>;
}

export interface ImageVulnerabilitiesResult {
  imagePackagesByDigest: {
    digest: string;
    sbomState: SbomState;
    imagePackages: {
      packages: Array<{
        package: {
          purl: string;
          name: string | null;
          namespace: string | null;
          version: string;
          type: string;
          vulnerabilities: PackageVulnerabilityFields[];
        };
      }>;
    };
  } | null;
}

export const ImageVulnerabilitiesDocument = scoutDocument<
  ImageVulnerabilitiesVariables,
  ImageVulnerabilitiesResult
>(`
query ImageVulnerabilities($context: Context!, $digest: String!) {
  imagePackagesByDigest(context: $context, digest: $digest) {
    digest
    sbomState
    imagePackages {
      packages {
        package {
          purl
          name
          namespace
          version
          type
          vulnerabilities {
            sourceId
            source
            description
            url
            fixedBy
            vulnerableRange
            publishedAt
            cisaExploited
            isExcepted
            cvss { severity score vector }
            cwes { cweId }
          }
        }
      }
    }
  }
}
`);
