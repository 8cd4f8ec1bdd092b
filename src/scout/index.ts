export { baseImageName } from './base-image.js';
export { DEFAULT_SCOUT_URL, type QueryOptions, ScoutClient, type ScoutClientOptions } from './client.js';
export { diffPackages, diffVulnerabilities } from './compare.js';
export {
  type CvssSeverity,
  type ResultOf,
  type ScoutContext,
  type ScoutDocument,
  scoutDocument,
  type VariablesOf,
} from './document.js';
export * from './documents/index.js';
export { type GraphQLErrorBody, graphqlErrorStatus, scoutGraphQLError } from './errors.js';
export {
  type MetricsOptions,
  type OrgMetrics,
  orgMetricsFromText,
  type PolicyMetrics,
  type StreamVulnerabilities,
} from './metrics.js';
export {
  PrometheusParseError,
  type PrometheusSample,
  type PrometheusText,
  parsePrometheusText,
} from './prometheus.js';
export { resolveImage } from './resolve.js';
export {
  buildSbom,
  parseSbomFormat,
  SBOM_FORMATS,
  type SbomDocument,
  type SbomFormat,
  type SbomMeta,
} from './sbom.js';
export * from './types.js';
export { countBySeverity, parseSeverities, toVulnerabilities } from './vulnerabilities.js';
