/**
 * Docker Scout commands. Each returns data (printed with --json) and a text form for people; none builds
 * a request: everything goes through the Scout SDK.
 */

import { open } from 'node:fs/promises';
import { replaceFile } from '../../core/atomic-file.js';
import { parseReference } from '../../reference/index.js';
import {
  baseImageName,
  type ImageComparison,
  type ImageSummary,
  type ImageTarget,
  type OrgMetrics,
  type PolicyReport,
  parseSbomFormat,
  parseSeverities,
  type Recommendations,
  type ScoutClient,
  SEVERITIES,
  type Severity,
  type VulnerabilityCounts,
  type VulnerabilityReport,
} from '../../scout/index.js';
import { formatBytes, keyValues, shortDigest, table } from '../render.js';
import type { CommandResult } from './registry-read.js';
import { EXIT_VULNERABILITIES } from './scout-program.js';

export interface ImageFlags {
  org?: string;
  platform?: string;
}

const imageOpts = (f: ImageFlags) => ({ organization: f.org, platform: f.platform });

function imageLines(image: ImageTarget): Array<[string, string | undefined]> {
  return [
    ['Image', image.reference],
    ['Digest', image.digest],
    ['Platform', image.platform],
  ];
}

const countCells = (c: VulnerabilityCounts | null) =>
  c
    ? [c.critical, c.high, c.medium, c.low, c.unspecified, c.total]
    : ['-', '-', '-', '-', '-', 'not scanned'];
const COUNT_HEADERS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNSPECIFIED', 'TOTAL'];

/** `1C 3H 5M 0L` */
function shortCounts(c: VulnerabilityCounts | null): string {
  return c ? `${c.critical}C ${c.high}H ${c.medium}M ${c.low}L` : 'not scanned';
}

function countsSentence(c: VulnerabilityCounts): string {
  return SEVERITIES.map((s) => `${c[s]} ${s}`).join(', ');
}

// ---- summary --------------------------------------------------------------------------------------

export async function summaryCommand(
  scout: ScoutClient,
  image: string,
  f: ImageFlags,
): Promise<CommandResult<ImageSummary>> {
  const data = await scout.summary(image, imageOpts(f));
  return {
    data,
    text: () => {
      const base = data.baseImage;
      const head = keyValues([
        ...imageLines(data.image),
        ['SBOM', data.sbomState],
        ['Base image', base ? `${baseImageName(base)} (${shortDigest(base.digest)})` : undefined],
      ]);
      const rows = [['Target', ...countCells(data.vulnerabilities)]];
      if (base) rows.push(['Base image', ...countCells(base.vulnerabilities)]);
      return `${head}\n${table(['', ...COUNT_HEADERS], rows)}`;
    },
  };
}

// ---- cves -----------------------------------------------------------------------------------------

export interface CvesFlags extends ImageFlags {
  severity?: string;
  exitCode?: boolean;
}

function packageName(p: { name: string; namespace?: string }): string {
  return p.namespace ? `${p.namespace}/${p.name}` : p.name;
}

export async function cvesCommand(
  scout: ScoutClient,
  image: string,
  f: CvesFlags,
): Promise<CommandResult<VulnerabilityReport>> {
  const severities = f.severity ? parseSeverities(f.severity) : [];
  const data = await scout.vulnerabilities(image, { ...imageOpts(f), severities });
  const scope = severities.length ? ` at ${severities.join('/')} severity` : '';
  const found = data.vulnerabilities.length;
  const gate = (severities.length ? severities : SEVERITIES).join('/');
  return {
    data,
    // The CI gate: findings are an answer (exit 3), distinct from failures (1) and usage errors (2).
    exit:
      f.exitCode && found > 0
        ? {
            code: EXIT_VULNERABILITIES,
            reason: {
              name: 'VulnerabilitiesFound',
              message: `${found} vulnerabilities at ${gate} severity in ${image}`,
            },
          }
        : undefined,
    text: () => {
      if (data.vulnerabilities.length === 0)
        return `no vulnerabilities${scope} found in ${imageLabel(data.image)}\n`;
      const rows = data.vulnerabilities.map((v) => [
        v.id,
        v.severity,
        v.cvssScore?.toFixed(1),
        packageName(v.package),
        v.installedVersion,
        v.fixedVersion ?? 'not fixed',
        v.advisoryUrls.join(' '),
      ]);
      const head = table(['CVE', 'SEVERITY', 'CVSS', 'PACKAGE', 'INSTALLED', 'FIXED', 'URL'], rows);
      return `${head}\n${data.counts.total} vulnerabilities${scope}: ${countsSentence(data.counts)}\n`;
    },
  };
}

function imageLabel(image: ImageTarget): string {
  return image.reference ?? image.digest;
}

// ---- sbom -----------------------------------------------------------------------------------------

export interface SbomFlags extends ImageFlags {
  format?: string;
  output?: string;
}

const FORMAT_NAMES = { spdx: 'SPDX 2.3', cyclonedx: 'CycloneDX 1.5' } as const;

export async function sbomCommand(scout: ScoutClient, image: string, f: SbomFlags): Promise<CommandResult> {
  const format = parseSbomFormat(f.format ?? 'spdx');
  const { document, packageCount } = await scout.sbom(image, { ...imageOpts(f), format });
  const json = `${JSON.stringify(document, null, 2)}\n`;
  if (!f.output) return { data: document, text: () => json };
  await writeAtomically(f.output, json);
  const data = { file: f.output, format, packages: packageCount };
  return {
    data,
    text: () => `wrote ${FORMAT_NAMES[format]} SBOM of ${image} (${packageCount} packages) to ${f.output}\n`,
  };
}

/** Written to a temp file beside the target, then renamed: readers never see half a document. */
function writeAtomically(file: string, content: string): Promise<void> {
  return replaceFile(file, async (temp) => {
    const fh = await open(temp, 'wx');
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
  });
}

// ---- recommendations ------------------------------------------------------------------------------

export async function recommendationsCommand(
  scout: ScoutClient,
  image: string,
  f: ImageFlags,
): Promise<CommandResult<Recommendations>> {
  const data = await scout.recommendations(image, imageOpts(f));
  return {
    data,
    text: () => {
      const base = data.baseImage;
      const head = keyValues([
        ...imageLines(data.image),
        ['Base image', base ? `${baseImageName(base)} (${shortDigest(base.digest)})` : undefined],
        [
          'Current',
          data.current ? `${data.current.tag}: ${shortCounts(data.current.vulnerabilities)}` : undefined,
        ],
      ]);
      if (data.recommended.length === 0)
        return `${head}\nno recommendations: Scout suggests no other tag for ${base ? 'this base image' : 'this image'}\n`;
      const rows = data.recommended.map((t) => [
        t.tag,
        ...countCells(t.vulnerabilities).slice(0, 4),
        formatBytes(t.imageSize),
        t.score,
        t.summary,
      ]);
      return `${head}\n${table(['TAG', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'SIZE', 'SCORE', 'WHY'], rows)}`;
    },
  };
}

// ---- policy ---------------------------------------------------------------------------------------

export interface PolicyFlags extends ImageFlags {
  stream?: string;
}

/** Policies belong to an organization: `--org`, else the image's namespace (`team/app` → team). */
export function defaultOrganization(image: string): string | undefined {
  if (image.startsWith('sha256:')) return undefined;
  const parts = parseReference(image).repository.split('/');
  return parts.length > 1 && parts[0] !== 'library' ? parts[0] : undefined;
}

export async function policyCommand(
  scout: ScoutClient,
  image: string,
  f: PolicyFlags,
): Promise<CommandResult<PolicyReport>> {
  const data = await scout.policy(image, {
    ...imageOpts(f),
    organization: f.org ?? defaultOrganization(image),
    stream: f.stream,
  });
  return {
    data,
    text: () => {
      const head = keyValues([...imageLines(data.image), ['Organization', data.organization]]);
      const results = table(
        ['POLICY', 'STATUS', 'DEVIATIONS'],
        data.policies.map((p) => [p.displayName, p.status, p.deviationCount]),
      );
      const details = data.policies
        .flatMap((p) => p.deviations.map((d) => `  ${p.displayName}: ${deviationText(d)}`))
        .join('\n');
      const stream = data.summaries[0]?.stream;
      const summaries = data.summaries.length
        ? `\n${data.organization} images${stream ? ` in stream ${stream}` : ''}:\n${table(
            ['POLICY', 'COMPLIANT', 'DEVIATIONS'],
            data.summaries.map((s) => [
              s.displayName,
              `${s.compliantImages}/${s.totalImages}`,
              s.totalDeviations,
            ]),
          )}`
        : '';
      return `${head}\n${results}${details ? `\nDeviations:\n${details}\n` : ''}${summaries}`;
    },
  };
}

function deviationText(d: PolicyReport['policies'][number]['deviations'][number]): string {
  if (d.vulnerability)
    return `${d.vulnerability} ${d.severity ?? ''} ${d.purl ?? ''}${d.fixedBy ? ` (fixed in ${d.fixedBy})` : ''}`;
  if (d.license) return `${d.purl} ${d.license}`;
  if (d.details?.length) return d.details.map((x) => `${x.displayName}: ${x.value}`).join(', ');
  return d.id;
}

// ---- compare --------------------------------------------------------------------------------------

export async function compareCommand(
  scout: ScoutClient,
  from: string,
  to: string,
  f: ImageFlags,
): Promise<CommandResult<ImageComparison>> {
  const data = await scout.compare(from, to, imageOpts(f));
  return {
    data,
    text: () => {
      const { counts, packages: p, vulnerabilities: v } = data;
      const change = (s: Severity | 'total') => `${counts.from[s]} → ${counts.to[s]}`;
      const head = keyValues([
        [
          'From',
          `${imageLabel(data.from)}${data.from.reference ? ` (${shortDigest(data.from.digest)})` : ''}`,
        ],
        ['To', `${imageLabel(data.to)}${data.to.reference ? ` (${shortDigest(data.to.digest)})` : ''}`],
        [
          'Vulnerabilities',
          `${change('total')} (${(['critical', 'high', 'medium', 'low'] as const).map((s) => `${s} ${change(s)}`).join(', ')})`,
        ],
      ]);
      const pkgRows = [
        ...p.added.map((x) => ['+', packageName(x), x.type, undefined, x.version]),
        ...p.removed.map((x) => ['-', packageName(x), x.type, x.version, undefined]),
        ...p.changed.map((x) => ['~', packageName(x), x.type, x.from, x.to]),
      ];
      const vulnRows = [
        ...v.added.map((x) => ['+', x.id, x.severity, packageName(x.package), x.installedVersion]),
        ...v.removed.map((x) => ['-', x.id, x.severity, packageName(x.package), x.installedVersion]),
        ...v.changed.map((x) => [
          '~',
          x.id,
          x.from.severity === x.to.severity ? x.to.severity : `${x.from.severity} → ${x.to.severity}`,
          x.package,
          `${x.from.installedVersion} → ${x.to.installedVersion}`,
        ]),
      ];
      const section = (title: string, n: [number, number, number], headers: string[], rows: typeof pkgRows) =>
        `\n${title}: ${n[0]} added, ${n[1]} removed, ${n[2]} changed\n${rows.length ? table(headers, rows) : ''}`;
      return `${head}${section(
        'Packages',
        [p.added.length, p.removed.length, p.changed.length],
        ['', 'PACKAGE', 'TYPE', 'FROM', 'TO'],
        pkgRows,
      )}${section(
        'Vulnerabilities',
        [v.added.length, v.removed.length, v.changed.length],
        ['', 'CVE', 'SEVERITY', 'PACKAGE', 'VERSION'],
        vulnRows,
      )}`;
    },
  };
}

// ---- metrics --------------------------------------------------------------------------------------

export async function metricsCommand(
  scout: ScoutClient,
  org: string,
  f: { raw?: boolean },
): Promise<CommandResult<OrgMetrics | { organization: string; text: string }>> {
  if (f.raw) {
    const text = await scout.metricsText(org);
    return { data: { organization: org, text }, text: () => text };
  }
  const data = await scout.metrics(org);
  return {
    data,
    text: () => {
      const streams = table(
        ['STREAM', ...COUNT_HEADERS],
        data.streams.map((s) => [s.stream, ...countCells(s)]),
      );
      const policies = data.policies.length
        ? `\n${table(
            ['STREAM', 'POLICY', 'COMPLIANT', 'EVALUATED'],
            data.policies.map((p) => [p.stream, p.displayName, p.compliantImages, p.evaluatedImages]),
          )}`
        : '';
      return `${keyValues([['Organization', org]])}\n${streams}${policies}`;
    },
  };
}
