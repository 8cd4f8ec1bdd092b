/**
 * What the emulated Docker Scout knows: images by digest with their packages and vulnerabilities, base
 * images, tag recommendations, organizations with policies and streams, and users whose plan has no
 * Scout. Everything Scout reports (counts, policy results, exporter metrics) is computed from this, so
 * the numbers agree across queries.
 */
import type { CvssSeverity } from '../../scout/document.js';
import type { Severity } from '../../scout/types.js';

export interface ScoutSeedVulnerability {
  /** CVE or advisory id. */
  id: string;
  severity: CvssSeverity;
  score?: number;
  vector?: string;
  /** First fixed version; absent when there is no fix. */
  fixedBy?: string;
  vulnerableRange?: string;
  url?: string;
  description?: string;
  publishedAt?: string;
  source?: string;
  cwes?: string[];
  cisaExploited?: boolean;
  excepted?: boolean;
}

export interface ScoutSeedPackage {
  /** Package URL; name, namespace, version and type are read from it. */
  purl: string;
  licenses?: string[];
  author?: string;
  description?: string;
  /** Where the package was found; `diffId` defaults to the image's first layer. */
  locations?: Array<{ path: string; diffId?: string }>;
  vulnerabilities?: ScoutSeedVulnerability[];
}

export interface ScoutSeedRecommendedTag {
  tag: string;
  digest: string;
  tags?: string[];
  aliases?: string[];
  createdAt?: string;
  packageCount?: number;
  imageSize?: number;
  vulnerabilities?: Partial<Record<Severity, number>>;
  os?: string;
  slim?: boolean;
  score?: number;
  summary?: string;
  reasons?: Array<{ name: string; reason: string; score: number }>;
}

export interface ScoutSeedImage {
  digest: string;
  /** Repository path, e.g. `library/alpine` or `team/app`. */
  repository: string;
  /** Default `hub.docker.com`. */
  hostName?: string;
  tags?: string[];
  /** Set for a private image: only queries in this organization's context see it. */
  organization?: string;
  createdAt?: string;
  platform?: { os: string; architecture: string; variant?: string };
  /** Layer diff ids, in order. */
  layers?: string[];
  /** The image's default user (the non-root-user policy reads it). */
  user?: string;
  /** Compressed size in bytes. */
  size?: number;
  packages?: ScoutSeedPackage[];
  /** The base image: another seeded image, matched on its layers. */
  baseImage?: { digest: string };
  /** For a base image: the tags of its repository Scout recommends instead of `currentTag`. */
  recommendations?: { currentTag: string; tags: ScoutSeedRecommendedTag[] };
  /** Environments the image is recorded in, besides `latest-indexed`. */
  streams?: string[];
}

/**
 * An organization policy. Results are computed per image: `vulnerability` from its CVEs at
 * `severities` (only fixable ones with `fixableOnly`), `license` from packages with one of `licenses`,
 * `boolean` (`check: 'non-root-user'`) from the image's user, and `generic`
 * (`check: 'up-to-date-base-image'`) from its base image's recommendations.
 */
export interface ScoutSeedPolicy {
  definitionName: string;
  configurationName?: string;
  displayName?: string;
  description?: string;
  kind: 'vulnerability' | 'license' | 'boolean' | 'generic';
  severities?: CvssSeverity[];
  fixableOnly?: boolean;
  licenses?: string[];
  check?: 'non-root-user' | 'up-to-date-base-image';
}

export interface ScoutSeedOrg {
  /** A Hub organization (seeded under `orgs`) enrolled in Docker Scout. */
  name: string;
  /** Who may read the metrics exporter; default: every member of the Hub organization. */
  owners?: string[];
  policies?: ScoutSeedPolicy[];
}

export interface ScoutSeed {
  images?: ScoutSeedImage[];
  orgs?: ScoutSeedOrg[];
  /** Users whose plan has no Docker Scout: every query answers FORBIDDEN. */
  usersWithoutScout?: string[];
}

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: string;
  subpath?: string;
}

/** `pkg:type/namespace/name@version?qualifiers#subpath` (enough of the purl spec for seeds). */
export function parsePurl(purl: string): Purl {
  const m = /^pkg:([a-zA-Z][a-zA-Z0-9.+-]*)\/([^?#]+?)(?:\?([^#]*))?(?:#(.*))?$/.exec(purl);
  if (!m) throw new Error(`not a package URL: ${purl}`);
  let path = m[2] as string;
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > 0) {
    version = decodeURIComponent(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const parts = path.split('/').map(decodeURIComponent);
  const name = parts.pop() as string;
  return {
    type: (m[1] as string).toLowerCase(),
    namespace: parts.length ? parts.join('/') : undefined,
    name,
    version,
    qualifiers: m[3],
    subpath: m[4],
  };
}

export class ScoutState {
  readonly images = new Map<string, ScoutSeedImage>();
  readonly orgs = new Map<string, ScoutSeedOrg>();
  readonly usersWithoutScout: Set<string>;

  constructor(seed: ScoutSeed = {}) {
    for (const image of seed.images ?? []) this.add(image);
    for (const org of seed.orgs ?? []) this.orgs.set(org.name, org);
    this.usersWithoutScout = new Set(seed.usersWithoutScout ?? []);
  }

  /** Adds (or replaces) an image, e.g. once it is pushed and its digest is known. */
  add(image: ScoutSeedImage): void {
    for (const p of image.packages ?? []) parsePurl(p.purl); // refuse a bad seed early
    this.images.set(image.digest, image);
  }

  /** An image as seen from a query context: private images only in their organization's context. */
  visible(digest: string, organization: string | undefined): ScoutSeedImage | undefined {
    const image = this.images.get(digest);
    if (!image) return undefined;
    return image.organization === undefined || image.organization === organization ? image : undefined;
  }

  /** The organization's images, in the given stream (`latest-indexed`: all of them). */
  orgImages(organization: string, stream = 'latest-indexed'): ScoutSeedImage[] {
    return [...this.images.values()].filter(
      (i) => i.organization === organization && (stream === 'latest-indexed' || i.streams?.includes(stream)),
    );
  }

  /** Every stream that has images of the organization, `latest-indexed` first. */
  orgStreams(organization: string): string[] {
    const streams = new Set(['latest-indexed']);
    for (const i of this.orgImages(organization)) for (const s of i.streams ?? []) streams.add(s);
    return [...streams];
  }
}
