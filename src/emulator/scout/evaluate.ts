/**
 * Scout's findings computed from the seed: vulnerability counts (one per vulnerability and package, as
 * the SDK lists them) and policy results. Queries and the metrics exporter share these, so they agree.
 */
import type { CvssSeverity, VulnerabilityCounts } from '../../scout/document.js';
import type { Severity } from '../../scout/types.js';
import { countBySeverity } from '../../scout/vulnerabilities.js';
import type { ScoutSeedImage, ScoutSeedPolicy, ScoutState } from './seed.js';

/** Counts over the images' vulnerabilities, one per vulnerability and package. */
export function vulnerabilityCounts(...images: ScoutSeedImage[]): VulnerabilityCounts {
  return countBySeverity(
    images.flatMap((i) =>
      (i.packages ?? []).flatMap((p) =>
        (p.vulnerabilities ?? []).map((v) => ({ severity: v.severity.toLowerCase() as Severity })),
      ),
    ),
  );
}

export interface Deviation {
  id: string;
  vulnerability?: string;
  purl?: string;
  severity?: CvssSeverity;
  cvssScore?: string;
  fixedBy?: string;
  license?: string;
  path?: string;
  details?: Array<{ key: string; value: string; displayName: string }>;
}

export interface PolicyOutcome {
  policy: ScoutSeedPolicy;
  deviations: Deviation[];
}

const ROOT_USERS = new Set(['', 'root', '0', '0:0', 'root:root']);

export function evaluatePolicy(
  state: ScoutState,
  image: ScoutSeedImage,
  policy: ScoutSeedPolicy,
): PolicyOutcome {
  const deviations: Deviation[] = [];
  switch (policy.kind) {
    case 'vulnerability': {
      const severities = new Set(policy.severities ?? ['CRITICAL', 'HIGH']);
      for (const p of image.packages ?? []) {
        for (const v of p.vulnerabilities ?? []) {
          if (!severities.has(v.severity) || (policy.fixableOnly && !v.fixedBy)) continue;
          deviations.push({
            id: `${v.id}:${p.purl}`,
            vulnerability: v.id,
            purl: p.purl,
            severity: v.severity,
            cvssScore: v.score === undefined ? undefined : String(v.score),
            fixedBy: v.fixedBy,
            path: p.locations?.[0]?.path,
          });
        }
      }
      break;
    }
    case 'license': {
      const banned = new Set(policy.licenses ?? []);
      for (const p of image.packages ?? []) {
        for (const license of p.licenses ?? []) {
          if (banned.has(license)) deviations.push({ id: `${license}:${p.purl}`, purl: p.purl, license });
        }
      }
      break;
    }
    case 'boolean': {
      const user = image.user ?? '';
      if (ROOT_USERS.has(user))
        deviations.push({
          id: 'default-user-is-root',
          details: [{ key: 'user', value: user || 'root', displayName: 'Default user' }],
        });
      break;
    }
    case 'generic': {
      const base = image.baseImage ? state.images.get(image.baseImage.digest) : undefined;
      const newer = base?.recommendations?.tags[0];
      if (base && newer && newer.digest !== base.digest)
        deviations.push({
          id: `outdated-base-image:${base.repository}`,
          details: [
            { key: 'repository', value: base.repository, displayName: 'Base image' },
            { key: 'current', value: base.recommendations?.currentTag ?? '', displayName: 'Current tag' },
            { key: 'recommended', value: newer.tag, displayName: 'Recommended tag' },
          ],
        });
      break;
    }
  }
  return { policy, deviations };
}

/** The organization's policies evaluated on one image (none outside an organization). */
export function evaluateImage(
  state: ScoutState,
  image: ScoutSeedImage,
  organization: string | undefined,
): PolicyOutcome[] {
  const policies = organization ? (state.orgs.get(organization)?.policies ?? []) : [];
  return policies.map((p) => evaluatePolicy(state, image, p));
}
