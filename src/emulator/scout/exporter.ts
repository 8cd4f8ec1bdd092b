/** The metrics exporter's Prometheus text for an organization, from the same findings as the queries. */
import { SEVERITIES } from '../../scout/types.js';
import { evaluatePolicy, vulnerabilityCounts } from './evaluate.js';
import type { ScoutSeedImage, ScoutSeedPolicy, ScoutState } from './seed.js';

function labels(pairs: Record<string, string>): string {
  const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${quote(v)}"`)
    .join(',')}}`;
}

export function exporterText(state: ScoutState, org: string): string {
  const policies = state.orgs.get(org)?.policies ?? [];
  // An image in several streams is evaluated once per policy.
  const verdicts = new Map<ScoutSeedImage, Map<ScoutSeedPolicy, boolean>>();
  const complies = (image: ScoutSeedImage, policy: ScoutSeedPolicy): boolean => {
    const byPolicy = verdicts.get(image) ?? new Map<ScoutSeedPolicy, boolean>();
    verdicts.set(image, byPolicy);
    const ok = byPolicy.get(policy) ?? evaluatePolicy(state, image, policy).deviations.length === 0;
    byPolicy.set(policy, ok);
    return ok;
  };
  const vulnerabilities: string[] = [];
  const compliant: string[] = [];
  const evaluated: string[] = [];
  for (const stream of state.orgStreams(org)) {
    const images = state.orgImages(org, stream);
    const totals = vulnerabilityCounts(...images);
    for (const s of SEVERITIES)
      vulnerabilities.push(
        `scout_stream_vulnerabilities${labels({ streamName: stream, severity: s })} ${totals[s]}`,
      );
    for (const policy of policies) {
      const ok = images.filter((i) => complies(i, policy)).length;
      const l = labels({
        id: policy.definitionName,
        displayName: policy.displayName ?? policy.definitionName,
        streamName: stream,
      });
      compliant.push(`scout_policy_compliant_images${l} ${ok}`);
      evaluated.push(`scout_policy_evaluated_images${l} ${images.length}`);
    }
  }
  const lines = [
    '# HELP scout_stream_vulnerabilities Vulnerabilities in a stream',
    '# TYPE scout_stream_vulnerabilities gauge',
    ...vulnerabilities,
    '# HELP scout_policy_compliant_images Compliant images for a policy in a stream',
    '# TYPE scout_policy_compliant_images gauge',
    ...compliant,
    '# HELP scout_policy_evaluated_images Total images evaluated against a policy in a stream',
    '# TYPE scout_policy_evaluated_images gauge',
    ...evaluated,
  ];
  return `${lines.join('\n')}\n`;
}
