/**
 * The one registry of GraphQL documents the SDK sends to Docker Scout. Nothing else in the SDK holds
 * query text; `npm run check:graphql` validates every entry here against the schema.
 */
import { BaseImagesDocument } from './base-images.js';
import { ImagePackagesDocument } from './image-packages.js';
import { ImageSummaryDocument } from './image-summary.js';
import { ImageVulnerabilitiesDocument } from './image-vulnerabilities.js';
import { PolicyResultsDocument } from './policy-results.js';
import { PolicySummariesDocument } from './policy-summaries.js';
import { TagRecommendationsDocument } from './tag-recommendations.js';

export * from './base-images.js';
export * from './image-packages.js';
export * from './image-summary.js';
export * from './image-vulnerabilities.js';
export * from './policy-results.js';
export * from './policy-summaries.js';
export * from './tag-recommendations.js';

export const SCOUT_DOCUMENTS = [
  ImageSummaryDocument,
  ImageVulnerabilitiesDocument,
  ImagePackagesDocument,
  BaseImagesDocument,
  TagRecommendationsDocument,
  PolicyResultsDocument,
  PolicySummariesDocument,
] as const;
