export { assertDigest, digestAlgorithm, isValidDigest } from './digest.js';
export {
  formatPlatform,
  normalizePlatform,
  type Platform,
  parsePlatform,
  platformMatches,
} from './platform.js';
export {
  DOCKER_HUB,
  familiarName,
  type ImageReference,
  isDockerHub,
  isValidRepository,
  isValidTag,
  manifestIdentifier,
  parseReference,
  registryHost,
  withDigest,
  withTag,
} from './reference.js';
