/** Vulnerabilities of an image: one entry per (advisory, package), worst first, optionally filtered. */
import { ValidationError } from '../core/errors.js';
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import type { ScoutClient } from './client.js';
import type { CvssSeverity, VulnerabilityCounts } from './document.js';
import { ImageVulnerabilitiesDocument, type ImageVulnerabilitiesResult } from './documents/index.js';
import { notAnalysed } from './summary.js';
import {
  type ImageOptions,
  type ImageTarget,
  type PackageRef,
  SEVERITIES,
  type Severity,
  type Vulnerability,
  type VulnerabilityReport,
} from './types.js';

export function imageVulnerabilities(
  scout: ScoutClient,
  image: string | ImageReference,
  opts: ImageOptions & { severities?: readonly Severity[] },
): Promise<VulnerabilityReport> {
  return instrument('docker.scout.cves', { image: String(image) }, async (span) => {
    const wanted = opts.severities?.length ? new Set(opts.severities) : undefined;
    const target = await scout.resolve(image, opts);
    const { report } = await fetchVulnerabilities(scout, target, opts);
    const vulnerabilities = wanted
      ? report.vulnerabilities.filter((v) => wanted.has(v.severity))
      : report.vulnerabilities;
    span.setAttributes({ digest: target.digest, count: vulnerabilities.length });
    return { ...report, vulnerabilities, counts: countBySeverity(vulnerabilities) };
  });
}

/** Every vulnerability of a resolved image (also used by compare). */
export async function fetchVulnerabilities(
  scout: ScoutClient,
  target: ImageTarget,
  opts: ImageOptions,
): Promise<{ report: VulnerabilityReport; packages: PackageRef[] }> {
  const data = await scout.query(
    ImageVulnerabilitiesDocument,
    { context: scout.context(opts.organization), digest: target.digest },
    { signal: opts.signal },
  );
  const found = data.imagePackagesByDigest;
  if (!found) throw notAnalysed(target, opts.organization ?? scout.organization);
  const vulnerabilities = toVulnerabilities(found.imagePackages.packages);
  return {
    report: {
      image: target,
      sbomState: found.sbomState,
      vulnerabilities,
      counts: countBySeverity(vulnerabilities),
    },
    packages: found.imagePackages.packages.map(({ package: p }) => toPackageRef(p)),
  };
}

export function toPackageRef(p: {
  purl: string;
  name: string | null;
  namespace: string | null;
  version: string;
  type: string;
}): PackageRef {
  return {
    purl: p.purl,
    name: p.name ?? p.purl,
    namespace: p.namespace ?? undefined,
    version: p.version,
    type: p.type,
  };
}

type PackageEntries = NonNullable<
  ImageVulnerabilitiesResult['imagePackagesByDigest']
>['imagePackages']['packages'];

export function toVulnerabilities(packages: PackageEntries): Vulnerability[] {
  const out: Vulnerability[] = [];
  for (const { package: p } of packages) {
    const ref = toPackageRef(p);
    for (const v of p.vulnerabilities) {
      out.push({
        id: v.sourceId,
        severity: toSeverity(v.cvss.severity),
        cvssScore: v.cvss.score ?? undefined,
        cvssVector: v.cvss.vector ?? undefined,
        package: ref,
        installedVersion: p.version,
        fixedVersion: v.fixedBy || undefined,
        vulnerableRange: v.vulnerableRange,
        advisoryUrls: [...new Set([v.url].filter(Boolean))],
        source: v.source,
        description: v.description ?? undefined,
        publishedAt: v.publishedAt ?? undefined,
        cwes: v.cwes.map((c) => c.cweId),
        exploited: v.cisaExploited,
        excepted: v.isExcepted,
      });
    }
  }
  return out.sort(
    (a, b) => worstFirst(a, b) || a.id.localeCompare(b.id) || a.package.name.localeCompare(b.package.name),
  );
}

type Scored = { severity: Severity; cvssScore?: number | string };

/** Worst first: by severity, then by CVSS score, highest first (a missing score counts as 0). */
export function worstFirst(a: Scored, b: Scored): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    Number(b.cvssScore ?? 0) - Number(a.cvssScore ?? 0)
  );
}

export function toSeverity(s: CvssSeverity | null | undefined): Severity {
  return s ? (s.toLowerCase() as Severity) : 'unspecified';
}

/** All-zero counts, to add to. */
export function emptyCounts(): VulnerabilityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, unspecified: 0, total: 0 };
}

export function countBySeverity(
  vulnerabilities: readonly Pick<Vulnerability, 'severity'>[],
): VulnerabilityCounts {
  const counts = emptyCounts();
  for (const v of vulnerabilities) {
    counts[v.severity]++;
    counts.total++;
  }
  return counts;
}

/** `critical,HIGH` → ['critical', 'high']; an unknown name is a usage error. */
export function parseSeverities(list: string): Severity[] {
  const out: Severity[] = [];
  for (const raw of list.split(',')) {
    const s = raw.trim().toLowerCase();
    if (!s) continue;
    if (!(SEVERITIES as readonly string[]).includes(s))
      throw new ValidationError(`unknown severity "${raw.trim()}"; valid: ${SEVERITIES.join(', ')}`);
    if (!out.includes(s as Severity)) out.push(s as Severity);
  }
  if (out.length === 0) throw new ValidationError(`give at least one severity: ${SEVERITIES.join(', ')}`);
  return out;
}
