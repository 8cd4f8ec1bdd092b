/**
 * Comparing two images. Scout's schema has no compare query, so both images' packages and
 * vulnerabilities are fetched (concurrently) and the difference is computed here. Packages are matched
 * by type, namespace and name (a different version is a change); vulnerabilities by advisory id and
 * package (a different severity or installed version is a change).
 */
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import type { ScoutClient } from './client.js';
import type {
  ImageComparison,
  ImageOptions,
  PackageChange,
  PackageRef,
  Vulnerability,
  VulnerabilityChange,
} from './types.js';
import { fetchVulnerabilities } from './vulnerabilities.js';

export function compareImages(
  scout: ScoutClient,
  from: string | ImageReference,
  to: string | ImageReference,
  opts: ImageOptions,
): Promise<ImageComparison> {
  return instrument('docker.scout.compare', { from: String(from), to: String(to) }, async (span) => {
    const [a, b] = await Promise.all([scout.resolve(from, opts), scout.resolve(to, opts)]);
    const [left, right] = await Promise.all([
      fetchVulnerabilities(scout, a, opts),
      fetchVulnerabilities(scout, b, opts),
    ]);
    const comparison: ImageComparison = {
      from: a,
      to: b,
      counts: { from: left.report.counts, to: right.report.counts },
      packages: diffPackages(left.packages, right.packages),
      vulnerabilities: diffVulnerabilities(left.report.vulnerabilities, right.report.vulnerabilities),
    };
    span.setAttributes({
      'packages.added': comparison.packages.added.length,
      'packages.removed': comparison.packages.removed.length,
      'vulnerabilities.added': comparison.vulnerabilities.added.length,
      'vulnerabilities.removed': comparison.vulnerabilities.removed.length,
    });
    return comparison;
  });
}

const packageKey = (p: PackageRef) => `${p.type}/${p.namespace ?? ''}/${p.name}`;
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export function diffPackages(
  from: readonly PackageRef[],
  to: readonly PackageRef[],
): ImageComparison['packages'] {
  const left = new Map(from.map((p) => [packageKey(p), p]));
  const right = new Map(to.map((p) => [packageKey(p), p]));
  const added = [...right].filter(([k]) => !left.has(k)).map(([, p]) => p);
  const removed = [...left].filter(([k]) => !right.has(k)).map(([, p]) => p);
  const changed: PackageChange[] = [];
  for (const [k, p] of right) {
    const before = left.get(k);
    if (before && before.version !== p.version)
      changed.push({
        name: p.name,
        type: p.type,
        namespace: p.namespace,
        from: before.version,
        to: p.version,
      });
  }
  return { added: added.sort(byName), removed: removed.sort(byName), changed: changed.sort(byName) };
}

const vulnKey = (v: Vulnerability) => `${v.id} ${packageKey(v.package)}`;

export function diffVulnerabilities(
  from: readonly Vulnerability[],
  to: readonly Vulnerability[],
): ImageComparison['vulnerabilities'] {
  const left = new Map(from.map((v) => [vulnKey(v), v]));
  const right = new Map(to.map((v) => [vulnKey(v), v]));
  const changed: VulnerabilityChange[] = [];
  for (const [k, v] of right) {
    const before = left.get(k);
    if (before && (before.severity !== v.severity || before.installedVersion !== v.installedVersion)) {
      changed.push({
        id: v.id,
        package: v.package.name,
        from: pick(before),
        to: pick(v),
      });
    }
  }
  // Inputs are already sorted worst first; filtering keeps that order.
  return {
    added: to.filter((v) => !left.has(vulnKey(v))),
    removed: from.filter((v) => !right.has(vulnKey(v))),
    changed,
  };
}

function pick(v: Vulnerability): VulnerabilityChange['from'] {
  return { severity: v.severity, installedVersion: v.installedVersion, fixedVersion: v.fixedVersion };
}
