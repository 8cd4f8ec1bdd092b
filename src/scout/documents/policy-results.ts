/** How one image fares against its organization's policies (goal results by digest). */
import { type CvssSeverity, type ScoutContext, scoutDocument } from '../document.js';

export interface PolicyResultsVariables {
  context: ScoutContext;
  digest: string;
}

interface PolicyFields {
  definitionName: string;
  configurationName: string;
  displayName: string | null;
  description: string | null;
  evaluated: boolean;
}

interface ResultFields {
  statusLabel: string;
  createdDateTime: string;
  isStale: boolean | null;
}

export interface GenericDeviationFields {
  id: string;
  details: Array<{ key: string; value: string; displayName: string }>;
}

export type PolicyFieldsByKind =
  | (PolicyFields & {
      __typename: 'ScVulnerabilityPolicy';
      currentResult:
        | (ResultFields & {
            deviationCount: number;
            deviations: Array<{
              id: string;
              vulnerability: string;
              purl: string;
              severity: CvssSeverity;
              cvssScore: string | null;
              fixedBy: string | null;
            }>;
          })
        | null;
    })
  | (PolicyFields & {
      __typename: 'ScBooleanPolicy';
      currentResult:
        | (ResultFields & { hasDeviation: boolean; deviation: GenericDeviationFields | null })
        | null;
    })
  | (PolicyFields & {
      __typename: 'ScLicencePolicy';
      currentResult:
        | (ResultFields & {
            deviationCount: number;
            deviations: Array<{ id: string; purl: string; license: string }>;
          })
        | null;
    })
  | (PolicyFields & {
      __typename: 'ScGenericPolicy';
      currentResult: (ResultFields & { deviationCount: number; deviations: GenericDeviationFields[] }) | null;
    });

export interface PolicyResultsResult {
  goalResultsByDigest: {
    digest: string;
    createdAt: string;
    tags: Array<{ name: string }>;
    repository: { hostName: string; repoName: string };
    platform: { os: string; architecture: string; variant: string | null } | null;
    policies: PolicyFieldsByKind[];
  } | null;
}

export const PolicyResultsDocument = scoutDocument<PolicyResultsVariables, PolicyResultsResult>(`
query PolicyResults($context: Context!, $digest: String!) {
  goalResultsByDigest(context: $context, query: { digest: $digest }) {
    digest
    createdAt
    tags { name }
    repository { hostName repoName }
    platform { os architecture variant }
    policies {
      __typename
      definitionName
      configurationName
      displayName
      description
      evaluated
      ... on ScVulnerabilityPolicy {
        currentResult {
          statusLabel
          createdDateTime
          isStale
          deviationCount
          deviations { id vulnerability purl severity cvssScore fixedBy }
        }
      }
      ... on ScBooleanPolicy {
        currentResult {
          statusLabel
          createdDateTime
          isStale
          hasDeviation
          deviation { id details { key value displayName } }
        }
      }
      ... on ScLicencePolicy {
        currentResult {
          statusLabel
          createdDateTime
          isStale
          deviationCount
          deviations { id purl license }
        }
      }
      ... on ScGenericPolicy {
        currentResult {
          statusLabel
          createdDateTime
          isStale
          deviationCount
          deviations { id details { key value displayName } }
        }
      }
    }
  }
}
`);
