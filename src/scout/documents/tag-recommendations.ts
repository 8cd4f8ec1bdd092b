/** Tags of the same repository that Scout recommends instead of the one an image was built from. */
import { type ScoutContext, scoutDocument, type VulnerabilityCounts } from '../document.js';

export interface TagRecommendationsVariables {
  context: ScoutContext;
  digest: string;
}

export interface RecommendedTagFields {
  digest: string;
  createdAt: string;
  packageCount: number;
  imageSize: number;
  tags: string[];
  aliases: string[];
  vulnerabilityReport: VulnerabilityCounts | null;
  tag: {
    name: string;
    os: string | null;
    framework: string | null;
    runtime: string | null;
    flavor: string | null;
    slim: boolean | null;
  };
  scoring: {
    total: number;
    summary: string;
    details: Array<{ name: string; reason: string; score: number }>;
  } | null;
}

export interface TagRecommendationsResult {
  tagRecommendationsByDigest: {
    repository: { name: string };
    recommendations: Array<{ currentTag: RecommendedTagFields; recommendedTags: RecommendedTagFields[] }>;
  } | null;
}

export const TagRecommendationsDocument = scoutDocument<
  TagRecommendationsVariables,
  TagRecommendationsResult
>(`
query TagRecommendations($context: Context!, $digest: String!) {
  tagRecommendationsByDigest(context: $context, digest: $digest) {
    repository { name }
    recommendations {
      currentTag { ...RecommendedTag }
      recommendedTags { ...RecommendedTag }
    }
  }
}

fragment RecommendedTag on TrDockerTag {
  digest
  createdAt
  packageCount
  imageSize
  tags
  aliases
  vulnerabilityReport { critical high medium low unspecified total }
  tag { name os framework runtime flavor slim }
  scoring { total summary details { name reason score } }
}
`);
