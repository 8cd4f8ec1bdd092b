/** The metrics exporter's Prometheus text for an organization, from the same findings as the queries. */
import { SEVERITIES } from '../../scout/types.js';
import { evaluatePolicy, vulnerabilityCounts } from './evaluate.js';
import type { ScoutState } from './seed.js';

function labels(pairs: Record<string, string>): string {
  const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${quote(v)}"`)
    .join(',')}}`;
}

export function exporterText(state: ScoutState, org: string): string {
  const lines: string[] = [];
  const streams = state.orgStreams(org);
  lines.push('# HELP scout_stream_vulnerabilities Vulnerabilities in a stream');
  lines.push('# TYPE scout_stream_vulnerabilities gauge');
  for (const stream of streams) {
    const totals = vulnerabilityCounts(...state.orgImages(org, stream));
    for (const s of SEVERITIES)
      lines.push(`scout_stream_vulnerabilities${labels({ streamName: stream, severity: s })} ${totals[s]}`);
  }
  const policies = state.orgs.get(org)?.policies ?? [];
  const compliant: string[] = [];
  const evaluated: string[] = [];
  for (const stream of streams) {
    const images = state.orgImages(org, stream);
    for (const policy of policies) {
      const ok = images.filter((i) => evaluatePolicy(state, i, policy).deviations.length === 0).length;
      const l = labels({
        id: policy.definitionName,
        displayName: policy.displayName ?? policy.definitionName,
        streamName: stream,
      });
      compliant.push(`scout_policy_compliant_images${l} ${ok}`);
      evaluated.push(`scout_policy_evaluated_images${l} ${images.length}`);
    }
  }
  lines.push('# HELP scout_policy_compliant_images Compliant images for a policy in a stream');
  lines.push('# TYPE scout_policy_compliant_images gauge', ...compliant);
  lines.push('# HELP scout_policy_evaluated_images Total images evaluated against a policy in a stream');
  lines.push('# TYPE scout_policy_evaluated_images gauge', ...evaluated);
  return `${lines.join('\n')}\n`;
}
