export { type Challenge, parseChallenge, RegistryAuth, repositoryScope } from './auth.js';
export type { BlobGetOptions, BlobStream } from './blobs.js';
export {
  isLoopbackHost,
  type PingResult,
  RegistryClient,
  type RegistryClientOptions,
  type RegistryRequest,
  type RepoAction,
} from './client.js';
export {
  type ConfigSummary,
  hostPlatform,
  type InspectOptions,
  type InspectResult,
  imagePlatforms,
  inspectImage,
  type LayerSummary,
  type ManifestSummary,
  resolveImageManifest,
} from './inspect.js';
export type { ManifestGetOptions, ManifestHead, ManifestResult } from './manifests.js';
export { parseManifest } from './manifests.js';
export { isImageManifestMediaType, isIndexMediaType, MANIFEST_ACCEPT, MediaType } from './media-types.js';
export { checkPullLimit, PULL_LIMIT_PROBE, type PullLimit } from './pull-limit.js';
export type { ReferrersResult } from './referrers.js';
export {
  filterSemverTags,
  latestSemverTag,
  parseVersionTag,
  pinReference,
  type SemverFilterOptions,
  type SemverTag,
  sortTags,
} from './tag-utils.js';
export type { TagListOptions } from './tags.js';
export * from './transfer/index.js';
export * from './types.js';
export {
  type BlobSource,
  type UploadOptions,
  type UploadOutcome,
  type UploadSession,
  Uploads,
} from './uploads.js';
export { DigestVerifier, digestOf, verifyBytes } from './verify.js';
