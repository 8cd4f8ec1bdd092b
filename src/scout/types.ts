/** What the Scout SDK returns: plain, typed shapes built from Scout's GraphQL results. */
import type { SbomState, VulnerabilityCounts } from './document.js';

export type { SbomState, VulnerabilityCounts } from './document.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unspecified'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What an image argument was resolved to. Scout knows images by digest only. */
export interface ImageTarget {
  digest: string;
  /** The reference as given, normalised (`docker.io/library/nginx:1.27`); absent for a bare digest. */
  reference?: string;
  /** The platform picked from a multi-platform index. */
  platform?: string;
}

export interface ImageOptions {
  /** Pick this platform (`linux/arm64`) of a multi-platform image; default: this machine's. */
  platform?: string;
  /** The organization whose Scout data to read (private images); default: the client's. */
  organization?: string;
  signal?: AbortSignal;
}

export interface BaseImage {
  digest: string;
  /** `hostName/repoName`, e.g. `hub.docker.com/library/alpine`. */
  repository: string;
  /** The tag Scout considers current for this digest, else the first one. */
  tag?: string;
  tags: string[];
  badge?: string;
  vulnerabilities: VulnerabilityCounts | null;
}

export interface ImageSummary {
  image: ImageTarget;
  sbomState: SbomState;
  /** Null when Scout knows the image but has not scanned it yet. */
  vulnerabilities: VulnerabilityCounts | null;
  baseImage?: BaseImage;
}

export interface PackageRef {
  purl: string;
  name: string;
  namespace?: string;
  version: string;
  type: string;
}

export interface Vulnerability {
  /** CVE or advisory id, e.g. CVE-2024-6119 or GHSA-…. */
  id: string;
  severity: Severity;
  cvssScore?: number;
  cvssVector?: string;
  package: PackageRef;
  installedVersion: string;
  /** The first version without the vulnerability, when one exists. */
  fixedVersion?: string;
  vulnerableRange: string;
  advisoryUrls: string[];
  source: string;
  description?: string;
  publishedAt?: string;
  cwes: string[];
  /** Listed in CISA's Known Exploited Vulnerabilities catalog. */
  exploited: boolean;
  /** Covered by a vulnerability exception or VEX statement. */
  excepted: boolean;
}

export interface VulnerabilityReport {
  image: ImageTarget;
  sbomState: SbomState;
  /** Sorted by severity, then CVSS score, highest first. */
  vulnerabilities: Vulnerability[];
  counts: VulnerabilityCounts;
}

export interface ImagePackage extends PackageRef {
  author?: string;
  description?: string;
  licenses: string[];
  locations: Array<{ path: string; diffId: string }>;
}

export interface ImagePackages {
  image: ImageTarget;
  sbomState: SbomState;
  packages: ImagePackage[];
  layers: Array<{ diffId: string; ordinal: number }>;
}

export interface RecommendedTag {
  tag: string;
  digest: string;
  tags: string[];
  aliases: string[];
  createdAt: string;
  packageCount: number;
  imageSize: number;
  vulnerabilities: VulnerabilityCounts | null;
  score?: number;
  summary?: string;
  reasons: Array<{ name: string; reason: string; score: number }>;
}

export interface Recommendations {
  image: ImageTarget;
  /** The base image the recommendations are for; absent when they are for the image itself. */
  baseImage?: BaseImage;
  /** The repository the recommended tags belong to. */
  repository?: string;
  current?: RecommendedTag;
  recommended: RecommendedTag[];
}

export type PolicyKind = 'vulnerability' | 'boolean' | 'license' | 'generic';
export type PolicyStatus = 'compliant' | 'non-compliant' | 'not-evaluated';

export interface PolicyDeviation {
  id: string;
  vulnerability?: string;
  purl?: string;
  severity?: Severity;
  cvssScore?: string;
  fixedBy?: string;
  license?: string;
  details?: Array<{ key: string; value: string; displayName: string }>;
}

export interface PolicyResult {
  policy: string;
  configuration: string;
  displayName: string;
  kind: PolicyKind;
  status: PolicyStatus;
  statusLabel?: string;
  deviationCount: number;
  deviations: PolicyDeviation[];
  evaluatedAt?: string;
  stale: boolean;
}

export interface PolicySummary {
  policy: string;
  configuration: string;
  displayName: string;
  stream: string;
  compliantImages: number;
  totalImages: number;
  unknownImages: number;
  totalDeviations: number;
  enabled: boolean;
}

/** An organization's policies and how many of its images comply with each. */
export interface OrgPolicies {
  organization: string;
  /** The stream the counts are for. */
  stream?: string;
  policies: PolicySummary[];
}

export interface PolicyReport {
  image: ImageTarget;
  organization?: string;
  /** `hostName/repoName` as Scout knows the image. */
  repository?: string;
  policies: PolicyResult[];
  /** The organization's policies across its images, for context. */
  summaries: PolicySummary[];
}

export interface PackageChange {
  name: string;
  type: string;
  namespace?: string;
  from: string;
  to: string;
}

export interface VulnerabilityChange {
  id: string;
  package: string;
  from: { severity: Severity; installedVersion: string; fixedVersion?: string };
  to: { severity: Severity; installedVersion: string; fixedVersion?: string };
}

export interface ImageComparison {
  from: ImageTarget;
  to: ImageTarget;
  counts: { from: VulnerabilityCounts; to: VulnerabilityCounts };
  packages: { added: PackageRef[]; removed: PackageRef[]; changed: PackageChange[] };
  vulnerabilities: { added: Vulnerability[]; removed: Vulnerability[]; changed: VulnerabilityChange[] };
}
