/**
 * The Docker Scout metrics exporter (`GET /v1/exporter/org/{org}/metrics`), the one Scout endpoint Docker
 * documents: Prometheus text, gauges `scout_stream_vulnerabilities{streamName,severity}`,
 * `scout_policy_compliant_images` and `scout_policy_evaluated_images{id,displayName,streamName}`. The
 * bearer is a personal access token of an organization owner; Scout caches the numbers for 60 minutes.
 */
import type { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import { path } from '../hub/client.js';
import type { ScoutClient } from './client.js';
import { type PrometheusSample, parsePrometheusText } from './prometheus.js';
import type { VulnerabilityCounts } from './types.js';
import { emptyCounts } from './vulnerabilities.js';

export interface StreamVulnerabilities extends VulnerabilityCounts {
  stream: string;
}

export interface PolicyMetrics {
  id: string;
  displayName: string;
  stream: string;
  compliantImages: number;
  evaluatedImages: number;
}

export interface OrgMetrics {
  organization: string;
  samples: PrometheusSample[];
  streams: StreamVulnerabilities[];
  policies: PolicyMetrics[];
}

export interface MetricsOptions {
  token?: string | Secret;
  signal?: AbortSignal;
}

export function fetchOrgMetricsText(scout: ScoutClient, org: string, opts: MetricsOptions): Promise<string> {
  return instrument('docker.scout.metrics', { org }, async () => {
    const token = await scout.exporterToken(opts.token);
    const res = await scout.transport.request({
      method: 'GET',
      url: `${scout.baseUrl}${path`/v1/exporter/org/${org}/metrics`}`,
      headers: {
        accept: 'application/openmetrics-text;version=1.0.0;q=0.5, text/plain;version=0.0.4;q=0.9, */*;q=0.1',
        authorization: `Bearer ${token}`,
      },
      signal: opts.signal,
    });
    return res.body.text();
  });
}

export async function fetchOrgMetrics(
  scout: ScoutClient,
  org: string,
  opts: MetricsOptions,
): Promise<OrgMetrics> {
  return orgMetricsFromText(org, await fetchOrgMetricsText(scout, org, opts));
}

export function orgMetricsFromText(organization: string, text: string): OrgMetrics {
  const { samples } = parsePrometheusText(text);
  const streams = new Map<string, StreamVulnerabilities>();
  const policies = new Map<string, PolicyMetrics>();
  for (const s of samples) {
    if (s.name === 'scout_stream_vulnerabilities') {
      const stream = s.labels.streamName ?? '';
      const entry = streams.get(stream) ?? { stream, ...emptyCounts() };
      const severity = (s.labels.severity ?? 'unspecified').toLowerCase();
      const key =
        (['critical', 'high', 'medium', 'low'] as const).find((k) => k === severity) ?? 'unspecified';
      entry[key] += s.value;
      entry.total += s.value;
      streams.set(stream, entry);
    } else if (s.name === 'scout_policy_compliant_images' || s.name === 'scout_policy_evaluated_images') {
      const id = s.labels.id ?? '';
      const stream = s.labels.streamName ?? '';
      const key = `${stream}\u0000${id}`;
      const entry = policies.get(key) ?? {
        id,
        displayName: s.labels.displayName ?? id,
        stream,
        compliantImages: 0,
        evaluatedImages: 0,
      };
      if (s.name === 'scout_policy_compliant_images') entry.compliantImages = s.value;
      else entry.evaluatedImages = s.value;
      policies.set(key, entry);
    }
  }
  return { organization, samples, streams: [...streams.values()], policies: [...policies.values()] };
}
