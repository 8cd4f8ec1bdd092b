/**
 * How the Scout client reads what comes back on the wire: GraphQL errors at HTTP 200 (with partial
 * data), codes and `extensions.status`, non-GraphQL failures, answers without data; and the Prometheus
 * text parser. A scripted local server stands in for answers the emulator never gives.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  HttpError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/core/errors.js';
import {
  buildSbom,
  diffVulnerabilities,
  graphqlErrorStatus,
  ImageSummaryDocument,
  orgMetricsFromText,
  PrometheusParseError,
  parsePrometheusText,
  parseSbomFormat,
  parseSeverities,
  ScoutClient,
  type Vulnerability,
} from '../../src/scout/index.js';

type Reply = { status: number; body: string; type?: string };
let next: Reply[] = [];
const seen: Array<{ auth?: string; body: string; url?: string }> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ auth: req.headers.authorization, body, url: req.url });
    const reply = next.shift() ?? { status: 500, body: 'no scripted reply' };
    res.writeHead(reply.status, { 'content-type': reply.type ?? 'application/json' });
    res.end(reply.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise((r) => server.close(r)));

const DIGEST = `sha256:${'a'.repeat(64)}`;
const client = () =>
  new ScoutClient({
    baseUrl: url,
    credentials: { jwt: 'header.eyJzdWIiOiJ4In0.sig', env: {}, useDockerConfig: false },
    retry: false,
  });

async function errorFor(...replies: Reply[]): Promise<unknown> {
  next = replies;
  const c = client();
  try {
    return await c.summary(DIGEST).catch((e: unknown) => e);
  } finally {
    await c.close();
  }
}

const gql = (errors: unknown[], data: unknown = null) => ({
  status: 200,
  body: JSON.stringify({ data, errors }),
});

describe('the GraphQL request', () => {
  it('posts the named document with variables and the Hub JWT as bearer', async () => {
    next = [
      {
        status: 200,
        body: JSON.stringify({
          data: {
            imageSummariesByDigest: [{ digest: DIGEST, sbomState: 'INDEXING', vulnerabilityReport: null }],
            baseImagesByDigest: [],
          },
        }),
      },
    ];
    const c = client();
    const summary = await c.summary(DIGEST, { organization: 'acme' });
    await c.close();
    expect(summary).toEqual({
      image: { digest: DIGEST },
      sbomState: 'INDEXING',
      vulnerabilities: null,
      baseImage: undefined,
    });
    const sent = seen.at(-1);
    expect(sent?.url).toBe('/v1/graphql');
    expect(sent?.auth).toBe('Bearer header.eyJzdWIiOiJ4In0.sig');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      operationName: 'ImageSummary',
      query: ImageSummaryDocument.source,
      variables: { context: { organization: 'acme' }, digest: DIGEST },
    });
  });
});

describe('GraphQL errors become typed errors', () => {
  it('HTTP 200 with errors[] and partial data still throws', async () => {
    const err = await errorFor(
      gql(
        [
          {
            message: 'not allowed to read acme',
            path: ['baseImagesByDigest'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
        { imageSummariesByDigest: [], baseImagesByDigest: null },
      ),
    );
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN', method: 'POST' });
  });

  it('maps codes, prefers extensions.status, and joins messages', async () => {
    expect(await errorFor(gql([{ message: 'no', extensions: { code: 'NOT_FOUND' } }]))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      await errorFor(gql([{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }])),
    ).toBeInstanceOf(RateLimitError);
    const down = await errorFor(
      gql([{ message: 'upstream failed', extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } }]),
    );
    expect(down).toBeInstanceOf(InternalServerError);
    expect((down as InternalServerError).retryable).toBe(true);
    const entitlements = await errorFor(gql([{ message: 'quota', extensions: { code: 'X', status: 402 } }]));
    expect(entitlements).toBeInstanceOf(HttpError);
    expect(entitlements).toMatchObject({ status: 402 });
    expect((entitlements as Error).message).toContain('entitlements are exceeded');
    const two = await errorFor(gql([{ message: 'first' }, { message: 'second' }, { message: 'first' }]));
    expect(two).toBeInstanceOf(BadRequestError);
    expect((two as Error).message).toMatch(/^400 Docker Scout ImageSummary: first; second \(POST http/);
  });

  it('UNAUTHENTICATED from a pre-minted JWT is not retried (nothing to re-mint)', async () => {
    const before = seen.length;
    const err = await errorFor(gql([{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }]));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(seen.length - before).toBe(1);
  });

  it('a failure that is not GraphQL keeps its HTTP status; an answer without data is an error', async () => {
    const html = await errorFor({ status: 502, body: '<html>bad gateway</html>', type: 'text/html' });
    expect(html).toBeInstanceOf(InternalServerError);
    expect((html as Error).message).toMatch(/^502 <html>bad gateway<\/html>/);
    const empty = await errorFor({ status: 200, body: '{}' });
    expect(empty).toBeInstanceOf(InternalServerError);
    expect((empty as Error).message).toContain('the answer carried no data');
    expect(graphqlErrorStatus(undefined, 200)).toBe(400);
  });
});

describe('Prometheus text', () => {
  it('reads HELP, TYPE, labels with escapes, special values and timestamps', () => {
    const text = [
      '# HELP scout_stream_vulnerabilities Vulnerabilities in a stream\\nsecond line',
      '# TYPE scout_stream_vulnerabilities gauge',
      'scout_stream_vulnerabilities{streamName="prod \\"eu\\"",severity="HIGH",} 4 1700000000000',
      'scout_policy_compliant_images{id="p1", displayName="Back\\\\slash\\nnew", streamName="prod"} 2',
      'scout_policy_evaluated_images{id="p1",displayName="x",streamName="prod"} 3',
      'up +Inf',
      'down NaN',
      'other{} -Inf',
      '# EOF',
      'ignored 1',
    ].join('\r\n');
    const parsed = parsePrometheusText(text);
    expect(parsed.help.scout_stream_vulnerabilities).toBe('Vulnerabilities in a stream\nsecond line');
    expect(parsed.types).toEqual({ scout_stream_vulnerabilities: 'gauge' });
    expect(parsed.samples[0]).toEqual({
      name: 'scout_stream_vulnerabilities',
      labels: { streamName: 'prod "eu"', severity: 'HIGH' },
      value: 4,
      timestamp: 1700000000000,
    });
    expect(parsed.samples[1]?.labels.displayName).toBe('Back\\slash\nnew');
    expect(parsed.samples.slice(3).map((s) => s.value)).toEqual([
      Number.POSITIVE_INFINITY,
      Number.NaN,
      Number.NEGATIVE_INFINITY,
    ]);
    const metrics = orgMetricsFromText('acme', text);
    expect(metrics.streams).toEqual([
      { stream: 'prod "eu"', critical: 0, high: 4, medium: 0, low: 0, unspecified: 0, total: 4 },
    ]);
    expect(metrics.policies).toEqual([
      { id: 'p1', displayName: 'Back\\slash\nnew', stream: 'prod', compliantImages: 2, evaluatedImages: 3 },
    ]);
  });

  it.each([
    ['{a="1"} 1', 'no metric name'],
    ['m{a="1" 1', 'expected , or } after a label'],
    ['m{a} 1', 'label a has no value'],
    ['m{a="1', 'unterminated value of label a'],
    ['m{1="x"} 1', 'bad label name'],
    ['m', 'no value'],
    ['m abc', 'bad value "abc"'],
    ['m 1 soon', 'bad timestamp'],
  ])('refuses %s', (line, why) => {
    expect(() => parsePrometheusText(`# TYPE m gauge\n${line}\n`)).toThrow(
      new PrometheusParseError(`unreadable metrics line 2: ${why}`),
    );
  });
});

describe('inputs and pure helpers', () => {
  it('parses severities and SBOM formats, refusing unknown ones', () => {
    expect(parseSeverities('Critical, high,critical')).toEqual(['critical', 'high']);
    expect(() => parseSeverities(' , ')).toThrow(/give at least one severity/);
    expect(parseSbomFormat('CycloneDX')).toBe('cyclonedx');
    expect(() => parseSbomFormat('xml')).toThrow('unknown SBOM format "xml"; valid: spdx, cyclonedx');
  });

  it('SBOM licenses: ids become expressions, anything else NOASSERTION (SPDX) or a name (CycloneDX)', () => {
    const packages = {
      image: { digest: DIGEST, reference: 'docker.io/acme/app:1.0' },
      sbomState: 'INDEXED' as const,
      layers: [],
      packages: [
        {
          purl: 'pkg:deb/debian/a@1',
          name: 'a',
          version: '1',
          type: 'deb',
          licenses: ['MIT', 'BSD-3-Clause'],
          locations: [],
        },
        {
          purl: 'pkg:deb/debian/b@1',
          name: 'b',
          version: '1',
          type: 'deb',
          licenses: ['GPL v2 or later'],
          locations: [],
          author: 'Jane  Doe',
        },
        { purl: 'pkg:deb/debian/c@1', name: 'c', version: '1', type: 'deb', licenses: [], locations: [] },
      ],
    };
    const spdx = buildSbom(packages, 'spdx', { uuid: '00000000-0000-4000-8000-000000000000' }).document;
    const pkgs = spdx.packages as Array<Record<string, unknown>>;
    expect(pkgs.map((p) => p.licenseDeclared)).toEqual([
      'NOASSERTION',
      'MIT AND BSD-3-Clause',
      'NOASSERTION',
      'NOASSERTION',
    ]);
    expect(pkgs[2]?.supplier).toBe('Organization: Jane Doe');
    expect(spdx.documentNamespace).toBe(
      `https://scout.docker.com/spdx/${encodeURIComponent(DIGEST)}/00000000-0000-4000-8000-000000000000`,
    );
    expect(pkgs[0]?.externalRefs).toEqual([
      expect.objectContaining({
        referenceLocator: `pkg:oci/app@${encodeURIComponent(DIGEST)}?repository_url=docker.io%2Facme%2Fapp`,
      }),
    ]);
    const cdx = buildSbom(packages, 'cyclonedx').document;
    const components = cdx.components as Array<Record<string, unknown>>;
    expect(components.map((c) => c.licenses)).toEqual([
      [{ license: { id: 'MIT' } }, { license: { id: 'BSD-3-Clause' } }],
      [{ license: { name: 'GPL v2 or later' } }],
      undefined,
    ]);
  });

  it('a vulnerability whose severity or installed version moved is "changed"', () => {
    const v = (severity: Vulnerability['severity'], version: string): Vulnerability => ({
      id: 'CVE-1',
      severity,
      package: { purl: `pkg:npm/x@${version}`, name: 'x', version, type: 'npm' },
      installedVersion: version,
      vulnerableRange: '*',
      advisoryUrls: [],
      source: 'nist',
      cwes: [],
      exploited: false,
      excepted: false,
    });
    expect(diffVulnerabilities([v('medium', '1.0')], [v('high', '1.1')])).toEqual({
      added: [],
      removed: [],
      changed: [
        {
          id: 'CVE-1',
          package: 'x',
          from: { severity: 'medium', installedVersion: '1.0', fixedVersion: undefined },
          to: { severity: 'high', installedVersion: '1.1', fixedVersion: undefined },
        },
      ],
    });
  });
});
