/** Per policy, how many of an organization's images comply (policy summaries of a stream). */
import { type ScoutContext, scoutDocument } from '../document.js';

export interface PolicySummariesVariables {
  context: ScoutContext;
  /** A stream (an environment, or `latest-indexed`); the server's default when omitted. */
  stream?: string | null;
}

export interface PolicySummaryFields {
  stream: string;
  totalImages: number;
  compliantImages: number;
  totalDeviations: number;
  unknownImages: number;
  policy: {
    definitionName: string;
    configurationName: string;
    displayName: string | null;
    resultType: string;
    owner: 'DOCKER' | 'USER';
    enabled: boolean;
  };
}

export interface PolicySummariesResult {
  goalResultSummaries: { items: PolicySummaryFields[] } | null;
}

export const PolicySummariesDocument = scoutDocument<PolicySummariesVariables, PolicySummariesResult>(`
query PolicySummaries($context: Context!, $stream: String) {
  goalResultSummaries(context: $context, query: { stream: $stream }) {
    items {
      stream
      totalImages
      compliantImages
      totalDeviations
      unknownImages
      policy { definitionName configurationName displayName resultType owner enabled }
    }
  }
}
`);
