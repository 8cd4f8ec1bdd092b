/**
 * Policy evaluation: the image's goal results (by digest) in its organization, and the organization's
 * policy summaries. Policies live in an organization, so one is required.
 */
import { ValidationError } from '../core/errors.js';
import { instrument } from '../core/telemetry.js';
import type { ImageReference } from '../reference/index.js';
import type { ScoutClient } from './client.js';
import {
  type PolicyFieldsByKind,
  PolicyResultsDocument,
  PolicySummariesDocument,
  type PolicySummaryFields,
} from './documents/index.js';
import { notAnalysed } from './summary.js';
import type {
  ImageOptions,
  OrgPolicies,
  PolicyKind,
  PolicyReport,
  PolicyResult,
  PolicySummary,
} from './types.js';
import { toSeverity, worstFirst } from './vulnerabilities.js';

export function policyReport(
  scout: ScoutClient,
  image: string | ImageReference,
  opts: ImageOptions & { stream?: string },
): Promise<PolicyReport> {
  return instrument('docker.scout.policy', { image: String(image) }, async (span) => {
    const organization = opts.organization ?? scout.organization;
    if (!organization)
      throw new ValidationError(
        'policies belong to an organization: give one (--org, or the organization option)',
      );
    const target = await scout.resolve(image, opts);
    const context = scout.context(organization);
    const [results, summaries] = await Promise.all([
      scout.query(PolicyResultsDocument, { context, digest: target.digest }, { signal: opts.signal }),
      scout.query(PolicySummariesDocument, { context, stream: opts.stream ?? null }, { signal: opts.signal }),
    ]);
    const found = results.goalResultsByDigest;
    if (!found) throw notAnalysed(target, organization);
    const policies = found.policies.map(toPolicyResult);
    span.setAttributes({
      digest: target.digest,
      policies: policies.length,
      failing: policies.filter((p) => p.status === 'non-compliant').length,
    });
    return {
      image: target,
      organization,
      repository: `${found.repository.hostName}/${found.repository.repoName}`,
      policies,
      summaries: (summaries.goalResultSummaries?.items ?? []).map(toPolicySummary),
    };
  });
}

/**
 * An organization's policies, each with how many of its images comply, in a stream (default: the
 * server's, latest-indexed). Needs no image.
 */
export function orgPolicies(
  scout: ScoutClient,
  opts: { organization?: string; stream?: string; signal?: AbortSignal },
): Promise<OrgPolicies> {
  return instrument('docker.scout.policies', {}, async (span) => {
    const organization = opts.organization ?? scout.organization;
    if (!organization)
      throw new ValidationError(
        'policies belong to an organization: give one (--org, or the organization option)',
      );
    const data = await scout.query(
      PolicySummariesDocument,
      { context: scout.context(organization), stream: opts.stream ?? null },
      { signal: opts.signal },
    );
    const policies = (data.goalResultSummaries?.items ?? []).map(toPolicySummary);
    span.setAttributes({ count: policies.length });
    return { organization, stream: policies[0]?.stream ?? opts.stream, policies };
  });
}

const KINDS: Record<PolicyFieldsByKind['__typename'], PolicyKind> = {
  ScVulnerabilityPolicy: 'vulnerability',
  ScBooleanPolicy: 'boolean',
  ScLicencePolicy: 'license',
  ScGenericPolicy: 'generic',
};

export function toPolicyResult(p: PolicyFieldsByKind): PolicyResult {
  const base = {
    policy: p.definitionName,
    configuration: p.configurationName,
    displayName: p.displayName ?? p.definitionName,
    kind: KINDS[p.__typename],
    statusLabel: p.currentResult?.statusLabel,
    evaluatedAt: p.currentResult?.createdDateTime,
    stale: p.currentResult?.isStale ?? false,
  };
  if (!p.evaluated || !p.currentResult)
    return { ...base, status: 'not-evaluated', deviationCount: 0, deviations: [] };
  let deviations: PolicyResult['deviations'];
  switch (p.__typename) {
    case 'ScVulnerabilityPolicy':
      deviations = (p.currentResult?.deviations ?? [])
        .map((d) => ({
          id: d.id,
          vulnerability: d.vulnerability,
          purl: d.purl,
          severity: toSeverity(d.severity),
          cvssScore: d.cvssScore ?? undefined,
          fixedBy: d.fixedBy ?? undefined,
        }))
        .sort(worstFirst);
      break;
    case 'ScLicencePolicy':
      deviations = (p.currentResult?.deviations ?? []).map((d) => ({
        id: d.id,
        purl: d.purl,
        license: d.license,
      }));
      break;
    case 'ScBooleanPolicy': {
      const d = p.currentResult?.deviation;
      deviations = p.currentResult?.hasDeviation
        ? [{ id: d?.id ?? p.definitionName, details: d?.details }]
        : [];
      break;
    }
    case 'ScGenericPolicy':
      deviations = (p.currentResult?.deviations ?? []).map((d) => ({ id: d.id, details: d.details }));
      break;
  }
  const count =
    p.__typename === 'ScBooleanPolicy'
      ? deviations.length
      : (p.currentResult?.deviationCount ?? deviations.length);
  return { ...base, status: count === 0 ? 'compliant' : 'non-compliant', deviationCount: count, deviations };
}

function toPolicySummary(s: PolicySummaryFields): PolicySummary {
  return {
    policy: s.policy.definitionName,
    configuration: s.policy.configurationName,
    displayName: s.policy.displayName ?? s.policy.definitionName,
    stream: s.stream,
    compliantImages: s.compliantImages,
    totalImages: s.totalImages,
    unknownImages: s.unknownImages,
    totalDeviations: s.totalDeviations,
    enabled: s.policy.enabled,
  };
}
