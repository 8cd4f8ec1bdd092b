/**
 * Root resolvers of the emulated Scout API over the seed. Each returns objects shaped as the schema's
 * types (non-null fields filled), so any valid selection of these fields executes; graphql-js applies
 * the selection. Root fields not listed here answer a NOT_IMPLEMENTED error.
 */
import { GraphQLError } from 'graphql';
import { MediaType } from '../../registry/media-types.js';
import type { VulnerabilityCounts } from '../../scout/document.js';
import { emptyCounts } from '../../scout/vulnerabilities.js';
import { evaluateImage, evaluatePolicy, type PolicyOutcome, vulnerabilityCounts } from './evaluate.js';
import {
  parsePurl,
  type ScoutSeedImage,
  type ScoutSeedPackage,
  type ScoutSeedPolicy,
  type ScoutSeedRecommendedTag,
  type ScoutState,
} from './seed.js';

export interface ScoutRequestContext {
  user: string;
}

interface ContextArg {
  context?: { organization?: string | null; namespace?: string | null } | null;
}

type Obj = Record<string, unknown>;

const EPOCH = '2024-01-01T00:00:00Z';

const orgOf = (args: ContextArg) => args.context?.organization ?? args.context?.namespace ?? undefined;

function tagObjects(image: ScoutSeedImage): Obj[] {
  return (image.tags ?? []).map((name, i) => ({
    name,
    updatedAt: image.createdAt ?? EPOCH,
    current: i === 0,
    supported: true,
    digest: image.digest,
    mediaType: MediaType.OciManifest,
  }));
}

function repositoryObject(image: ScoutSeedImage): Obj {
  return {
    hostName: image.hostName ?? 'hub.docker.com',
    repoName: image.repository,
    badge: image.repository.startsWith('library/') ? 'OFFICIAL_IMAGE' : null,
    supportedTags: image.tags ?? [],
    preferredTags: image.tags?.slice(0, 1) ?? [],
    description: null,
    pullCount: null,
    starCount: null,
    platforms: image.platform ? [platformString(image)] : [],
    previousScannedDigest: null,
  };
}

function platformString(image: ScoutSeedImage): string {
  const p = image.platform;
  return p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : '';
}

function platformObject(image: ScoutSeedImage): Obj | null {
  return image.platform ? { variant: null, ...image.platform } : null;
}

/** An image as `IbBaseImage` / `ImageWithBaseImage` (the CommonImage fields). */
function imageObject(image: ScoutSeedImage): Obj {
  return {
    digest: image.digest,
    tags: tagObjects(image),
    createdAt: image.createdAt ?? EPOCH,
    packageCount: image.packages?.length ?? 0,
    dockerFile: null,
    vulnerabilityReport: vulnerabilityCounts(image),
    repository: repositoryObject(image),
    sbomState: 'INDEXED',
    layerCount: image.layers?.length ?? 0,
    platform: platformObject(image),
    compressedSize: image.size ?? null,
    labels: [],
    mediaType: MediaType.OciManifest,
    provenanceAttestation: null,
  };
}

function vulnerabilityObjects(p: ScoutSeedPackage): Obj[] {
  return (p.vulnerabilities ?? []).map((v) => ({
    sourceId: v.id,
    source: v.source ?? (v.id.startsWith('GHSA-') ? 'github' : 'nist'),
    description: v.description ?? null,
    cwes: (v.cwes ?? []).map((id) => ({
      cweId: id,
      description: null,
      url: `https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html`,
    })),
    cvss: {
      severity: v.severity,
      version: 'CVSS_VERSION_3',
      score: v.score ?? null,
      vector: v.vector ?? null,
    },
    fixedBy: v.fixedBy ?? null,
    vulnerableRange: v.vulnerableRange ?? (v.fixedBy ? `<${v.fixedBy}` : '*'),
    url: v.url ?? `https://scout.docker.com/v/${v.id}`,
    publishedAt: v.publishedAt ?? null,
    updatedAt: v.publishedAt ?? null,
    epss: null,
    cisaExploited: v.cisaExploited ?? false,
    isExcepted: v.excepted ?? false,
    vulnerabilityExceptions: [],
    vexStatements: [],
  }));
}

function packageObject(p: ScoutSeedPackage): Obj {
  const purl = parsePurl(p.purl);
  return {
    name: purl.name,
    description: p.description ?? null,
    purl: p.purl,
    purlFields: {
      type: purl.type,
      namespace: purl.namespace ?? null,
      name: purl.name,
      version: purl.version ?? null,
      qualifiers: purl.qualifiers ?? null,
      subpath: purl.subpath ?? null,
    },
    type: purl.type,
    namespace: purl.namespace ?? null,
    version: purl.version ?? '',
    author: p.author ?? null,
    licenses: p.licenses ?? [],
    vulnerabilities: vulnerabilityObjects(p),
  };
}

function countsObject(c: ScoutSeedRecommendedTag['vulnerabilities']): VulnerabilityCounts {
  const v = { ...emptyCounts(), ...c };
  return { ...v, total: v.critical + v.high + v.medium + v.low + v.unspecified };
}

function recommendedTagObject(t: ScoutSeedRecommendedTag): Obj {
  const counts = countsObject(t.vulnerabilities);
  return {
    digest: t.digest,
    indexDigest: null,
    createdAt: t.createdAt ?? EPOCH,
    packageCount: t.packageCount ?? 0,
    imageSize: t.imageSize ?? 0,
    size: Math.min(t.imageSize ?? 0, 2 ** 31 - 1),
    tags: t.tags ?? [t.tag],
    aliases: t.aliases ?? [],
    vulnerabilityReport: counts,
    vulnerabilities: counts,
    tag: {
      name: t.tag,
      os: t.os ?? null,
      framework: null,
      runtime: null,
      flavor: null,
      slim: t.slim ?? false,
    },
    scoring:
      t.score === undefined ? null : { total: t.score, summary: t.summary ?? '', details: t.reasons ?? [] },
  };
}

const TYPENAMES: Record<ScoutSeedPolicy['kind'], string> = {
  vulnerability: 'ScVulnerabilityPolicy',
  license: 'ScLicencePolicy',
  boolean: 'ScBooleanPolicy',
  generic: 'ScGenericPolicy',
};

function policyObject(outcome: PolicyOutcome, evaluatedAt: string): Obj {
  const { policy, deviations } = outcome;
  const label = deviations.length === 0 ? 'Compliant' : 'Non-compliant';
  const common = { statusLabel: label, createdDateTime: evaluatedAt, isStale: false };
  const details = (d: (typeof deviations)[number]) => ({ id: d.id, details: d.details ?? [] });
  let currentResult: Obj;
  switch (policy.kind) {
    case 'vulnerability':
      currentResult = {
        ...common,
        deviationCount: deviations.length,
        deviations: deviations.map((d) => ({
          id: d.id,
          vulnerability: d.vulnerability,
          purl: d.purl,
          severity: d.severity,
          cvssScore: d.cvssScore ?? null,
          fixedBy: d.fixedBy ?? null,
          locations: d.path ? [{ layerOrdinal: 0, path: d.path }] : [],
        })),
      };
      break;
    case 'license':
      currentResult = {
        ...common,
        deviationCount: deviations.length,
        deviations: deviations.map((d) => ({ id: d.id, purl: d.purl, license: d.license, locations: [] })),
      };
      break;
    case 'boolean':
      currentResult = {
        ...common,
        hasDeviation: deviations.length > 0,
        deviation: deviations[0] ? details(deviations[0]) : null,
      };
      break;
    case 'generic':
      currentResult = { ...common, deviationCount: deviations.length, deviations: deviations.map(details) };
      break;
  }
  return {
    __typename: TYPENAMES[policy.kind],
    definitionName: policy.definitionName,
    configurationName: policy.configurationName ?? 'default',
    displayName: policy.displayName ?? policy.definitionName,
    description: policy.description ?? null,
    evaluated: true,
    latestDelta: null,
    remediations: () => [],
    remediationLink: null,
    licenses: policy.licenses ?? [],
    currentResult,
  };
}

/** The root value for graphql-js: one function per emulated Query field. */
export function scoutRoot(state: ScoutState): Record<string, (args: never) => unknown> {
  return {
    imageSummariesByDigest: (args: ContextArg & { digests: string[] }) =>
      args.digests
        .map((d) => state.visible(d, orgOf(args)))
        .filter((i): i is ScoutSeedImage => i !== undefined)
        .map((i) => ({
          digest: i.digest,
          sbomState: 'INDEXED',
          vulnerabilityReport: vulnerabilityCounts(i),
        })),

    imagePackagesByDigest: (args: ContextArg & { digest: string }) => {
      const image = state.visible(args.digest, orgOf(args));
      if (!image) return null;
      const firstLayer = image.layers?.[0] ?? '';
      return {
        digest: image.digest,
        sbomState: 'INDEXED',
        imagePackages: {
          packages: (image.packages ?? []).map((p) => ({
            package: packageObject(p),
            locations: (p.locations ?? []).map((l) => ({ path: l.path, diffId: l.diffId ?? firstLayer })),
          })),
        },
        imageLayers: { layers: (image.layers ?? []).map((diffId, ordinal) => ({ diffId, ordinal })) },
        imageHistories: null,
      };
    },

    baseImagesByDigest: (args: ContextArg & { digest: string }) => {
      const image = state.visible(args.digest, orgOf(args));
      const base = image?.baseImage ? state.images.get(image.baseImage.digest) : undefined;
      if (!base) return [];
      return [
        {
          layerMatches: (base.layers ?? []).map((layerDigest, layerOrdinal) => ({
            layerOrdinal,
            layerDigest,
          })),
          images: [imageObject(base)],
        },
      ];
    },

    tagRecommendationsByDigest: (args: ContextArg & { digest: string }) => {
      const image = state.visible(args.digest, orgOf(args));
      const recs = image?.recommendations;
      if (!image || !recs) return null;
      const counts = vulnerabilityCounts(image);
      const current = recommendedTagObject({
        tag: recs.currentTag,
        digest: image.digest,
        tags: image.tags,
        createdAt: image.createdAt,
        packageCount: image.packages?.length ?? 0,
        imageSize: image.size,
        vulnerabilities: counts,
      });
      return {
        repository: { name: image.repository, pullCount: null, starCount: null, description: null },
        recommendations: [{ currentTag: current, recommendedTags: recs.tags.map(recommendedTagObject) }],
      };
    },

    goalResultsByDigest: (args: ContextArg & { query: { digest: string } }) => {
      const org = orgOf(args);
      const image = state.visible(args.query.digest, org);
      if (!image) return null;
      const evaluatedAt = image.createdAt ?? EPOCH;
      return {
        digest: image.digest,
        tags: tagObjects(image),
        repository: { hostName: image.hostName ?? 'hub.docker.com', repoName: image.repository },
        createdAt: image.createdAt ?? EPOCH,
        platform: platformObject(image),
        policies: evaluateImage(state, image, org).map((o) => policyObject(o, evaluatedAt)),
      };
    },

    goalResultSummaries: (args: ContextArg & { query: { stream?: string | null } }) => {
      const org = orgOf(args);
      if (!org) return { items: [] };
      const stream = args.query.stream ?? 'latest-indexed';
      const images = state.orgImages(org, stream);
      return {
        items: (state.orgs.get(org)?.policies ?? []).map((policy) => {
          const outcomes = images.map((i) => evaluatePolicy(state, i, policy));
          const compliant = outcomes.filter((o) => o.deviations.length === 0).length;
          const deviations = outcomes.reduce((n, o) => n + o.deviations.length, 0);
          return {
            policy: {
              definitionName: policy.definitionName,
              configurationName: policy.configurationName ?? 'default',
              displayName: policy.displayName ?? policy.definitionName,
              description: policy.description ?? null,
              resultType: policy.kind,
              owner: 'DOCKER',
              enabled: true,
              remediationLink: null,
            },
            stream,
            totalImages: images.length,
            compliantImages: compliant,
            totalDeviations: deviations,
            unknownImages: 0,
            delta: {
              compliantImages: 0,
              totalDeviations: 0,
              totalImages: 0,
              unknownImages: 0,
              timestamp: EPOCH,
            },
          };
        }),
      };
    },
  };
}

export function graphqlError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
