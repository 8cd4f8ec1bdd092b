/**
 * The Scout SDK against the emulator: every GraphQL document is validated by the emulator against
 * Scout's schema before it runs. Images are addressed by digest here (the registry is not the point;
 * tag resolution is tested in tests/cli/scout.test.ts against a real registry).
 */
import { inspect } from 'node:util';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';
import { ScoutClient, scoutDocument } from '../../src/scout/index.js';
import { ALPINE_DIGEST, fakeDigest, SENTINEL, scoutSeed } from '../helpers/scout-seed.js';

const APP_V1 = fakeDigest('team/app:v1');
const APP_V2 = fakeDigest('team/app:v2');
const spans = new InMemorySpanExporter();
let emu: RunningEmulator;
let carol: ScoutClient;
const statuses: number[] = [];

const scoutFor = (username: string | undefined, organization?: string) =>
  new ScoutClient({
    baseUrl: emu.url,
    hubUrl: emu.url,
    organization,
    credentials: username
      ? { username, password: SENTINEL, env: {}, useDockerConfig: false }
      : { env: {}, useDockerConfig: false },
    hooks: [{ onResponse: (r) => statuses.push(r.status) }],
  });

beforeAll(async () => {
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  emu = await startEmulator({ seed: scoutSeed({ appV1: APP_V1, appV2: APP_V2 }) });
  carol = scoutFor('carol', 'team');
});

afterAll(async () => {
  await carol?.close();
  await emu?.stop();
  trace.disable();
});

describe('image summary', () => {
  it('counts vulnerabilities by severity and names the base image', async () => {
    const summary = await carol.summary(APP_V1);
    expect(summary).toMatchObject({
      image: { digest: APP_V1 },
      sbomState: 'INDEXED',
      vulnerabilities: { critical: 1, high: 3, medium: 5, low: 0, unspecified: 0, total: 9 },
      baseImage: {
        digest: ALPINE_DIGEST,
        repository: 'hub.docker.com/library/alpine',
        tag: '3.18.4',
        badge: 'OFFICIAL_IMAGE',
        vulnerabilities: { medium: 3, total: 3 },
      },
    });
  });

  it('reads public images without an organization; private ones need theirs', async () => {
    const anyone = scoutFor('erin');
    expect((await anyone.summary(ALPINE_DIGEST)).vulnerabilities?.total).toBe(3);
    const err = await anyone.summary(APP_V1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe(
      `Docker Scout has no analysis of ${APP_V1}: is it indexed? for a private image, give its organization (--org)`,
    );
    await anyone.close();
  });

  it('records a docker.scout.summary span with the digest', async () => {
    spans.reset();
    await carol.summary(APP_V2);
    const span = spans.getFinishedSpans().find((s) => s.name === 'docker.scout.summary');
    expect(span?.attributes.digest).toBe(APP_V2);
    expect(spans.getFinishedSpans().map((s) => s.name)).toContain('docker.scout.graphql');
  });
});

describe('vulnerabilities', () => {
  it('lists CVEs worst first with package, versions, CVSS and advisory URLs', async () => {
    const report = await carol.vulnerabilities(APP_V1);
    expect(report.counts).toEqual({ critical: 1, high: 3, medium: 5, low: 0, unspecified: 0, total: 9 });
    expect(report.vulnerabilities.map((v) => v.id).slice(0, 4)).toEqual([
      'CVE-2022-39353',
      'CVE-2024-29415',
      'CVE-2024-4068',
      'CVE-2021-23337',
    ]);
    expect(report.vulnerabilities[0]).toEqual({
      id: 'CVE-2022-39353',
      severity: 'critical',
      cvssScore: 9.8,
      package: {
        purl: 'pkg:npm/%40xmldom/xmldom@0.7.5',
        name: 'xmldom',
        namespace: '@xmldom',
        version: '0.7.5',
        type: 'npm',
      },
      installedVersion: '0.7.5',
      fixedVersion: '0.7.7',
      vulnerableRange: '<0.7.7',
      advisoryUrls: ['https://scout.docker.com/v/CVE-2022-39353'],
      source: 'nist',
      description: 'xmldom accepts multiple root elements',
      cwes: [],
      exploited: true,
      excepted: false,
    });
    const express = report.vulnerabilities.find((v) => v.id === 'CVE-2024-29041');
    expect(express?.advisoryUrls).toEqual(['https://github.com/advisories/GHSA-rv95-896h-c2vc']);
    const noFix = report.vulnerabilities.find((v) => v.id === 'CVE-2024-29415');
    expect(noFix?.fixedVersion).toBeUndefined();
  });

  it('filters by severity and recounts', async () => {
    const report = await carol.vulnerabilities(APP_V1, { severities: ['critical', 'high'] });
    expect(report.vulnerabilities.map((v) => v.severity)).toEqual(['critical', 'high', 'high', 'high']);
    expect(report.counts).toMatchObject({ critical: 1, high: 3, medium: 0, total: 4 });
    const none = await carol.vulnerabilities(ALPINE_DIGEST, { severities: ['critical'] });
    expect(none.vulnerabilities).toEqual([]);
  });
});

describe('packages and SBOMs', () => {
  it('lists packages with licenses and locations, layers in order', async () => {
    const pkgs = await carol.packages(APP_V2);
    expect(pkgs.packages).toHaveLength(9);
    expect(pkgs.packages.find((p) => p.name === 'musl')).toMatchObject({
      type: 'apk',
      namespace: 'alpine',
      version: '1.2.4-r2',
      licenses: ['MIT'],
      locations: [{ path: '/lib/apk/db/installed', diffId: fakeDigest('alpine:3.18.4 layer') }],
    });
    expect(pkgs.layers.map((l) => l.ordinal)).toEqual([0, 1]);
  });

  it('builds SPDX 2.3 JSON with the required document and package fields', async () => {
    const created = new Date('2025-01-02T03:04:05Z');
    const { document, packageCount } = await carol.sbom(APP_V1, { format: 'spdx', created });
    expect(packageCount).toBe(10);
    expect(document).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: APP_V1,
      creationInfo: { created: '2025-01-02T03:04:05Z', creators: ['Tool: dockerhub-api-0.1.0'] },
      documentDescribes: ['SPDXRef-Image'],
    });
    expect(document.documentNamespace).toMatch(/^https:\/\/\S+\/[0-9a-f-]{36}$/);
    const packages = document.packages as Array<Record<string, unknown>>;
    expect(packages).toHaveLength(11);
    for (const p of packages) {
      expect(p.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
      for (const field of ['name', 'downloadLocation', 'versionInfo']) expect(p[field], field).toBeTruthy();
    }
    expect(new Set(packages.map((p) => p.SPDXID)).size).toBe(11);
    const kit = packages.find((p) => p.name === 'report-kit');
    expect(kit).toMatchObject({
      versionInfo: '1.2.0',
      licenseDeclared: 'AGPL-3.0-only',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:npm/%40acme/report-kit@1.2.0',
        },
      ],
    });
    const rels = document.relationships as Array<Record<string, string>>;
    expect(rels[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-Image',
    });
    expect(rels.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(10);
  });

  it('builds CycloneDX 1.5 JSON with the required fields and purls', async () => {
    const { document } = await carol.sbom(APP_V1, { format: 'cyclonedx' });
    expect(document).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1 });
    expect(document.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const metadata = document.metadata as Record<string, Record<string, unknown>>;
    expect(metadata.component).toMatchObject({ type: 'container', version: APP_V1 });
    expect(Date.parse(metadata.timestamp as unknown as string)).not.toBeNaN();
    const components = document.components as Array<Record<string, unknown>>;
    expect(components).toHaveLength(10);
    for (const c of components) {
      expect(c.type).toBe('library');
      expect(c.purl).toMatch(/^pkg:/);
      expect(c['bom-ref']).toBeTruthy();
    }
    expect(new Set(components.map((c) => c['bom-ref'])).size).toBe(10);
    expect(components.find((c) => c.name === 'xmldom')).toMatchObject({
      group: '@xmldom',
      version: '0.7.5',
      licenses: [{ license: { id: 'MIT' } }],
    });
  });
});

describe('recommendations', () => {
  it('finds the base image and the tags recommended instead of it', async () => {
    const recs = await carol.recommendations(APP_V1);
    expect(recs.baseImage).toMatchObject({ digest: ALPINE_DIGEST, tag: '3.18.4' });
    expect(recs.repository).toBe('library/alpine');
    expect(recs.current).toMatchObject({ tag: '3.18.4', vulnerabilities: { medium: 3, total: 3 } });
    expect(recs.recommended.map((t) => t.tag)).toEqual(['3.20.3', '3.19.4']);
    expect(recs.recommended[0]).toMatchObject({
      digest: fakeDigest('alpine:3.20.3'),
      aliases: ['latest'],
      vulnerabilities: { total: 0 },
      score: 100,
      reasons: [
        { name: 'vulnerabilities', reason: 'no known vulnerabilities', score: 60 },
        { name: 'freshness', reason: 'released 9 months later', score: 40 },
      ],
    });
  });

  it('recommends for the image itself when it has no known base (an official image)', async () => {
    const recs = await carol.recommendations(ALPINE_DIGEST);
    expect(recs.baseImage).toBeUndefined();
    expect(recs.recommended.map((t) => t.tag)).toEqual(['3.20.3', '3.19.4']);
  });
});

describe('policy', () => {
  it('gives each policy result with its deviations, and the organization summaries', async () => {
    const report = await carol.policy(APP_V1);
    expect(report.organization).toBe('team');
    expect(report.repository).toBe('hub.docker.com/team/app');
    const byName = Object.fromEntries(report.policies.map((p) => [p.policy, p]));
    expect(Object.keys(byName)).toHaveLength(4);
    expect(byName['no-fixable-critical-or-high-vulnerabilities']).toMatchObject({
      kind: 'vulnerability',
      status: 'non-compliant',
      deviationCount: 3,
    });
    expect(
      byName['no-fixable-critical-or-high-vulnerabilities']?.deviations.map((d) => d.vulnerability).sort(),
    ).toEqual(['CVE-2021-23337', 'CVE-2022-39353', 'CVE-2024-4068']);
    expect(byName['no-agpl-v3-licenses']).toMatchObject({
      kind: 'license',
      status: 'non-compliant',
      deviations: [{ purl: 'pkg:npm/%40acme/report-kit@1.2.0', license: 'AGPL-3.0-only' }],
    });
    expect(byName['default-non-root-user']).toMatchObject({ kind: 'boolean', status: 'non-compliant' });
    expect(byName['no-outdated-base-images']?.deviations[0]?.details).toContainEqual({
      key: 'recommended',
      value: '3.20.3',
      displayName: 'Recommended tag',
    });
    expect(report.summaries.map((s) => [s.policy, s.compliantImages, s.totalImages])).toEqual([
      ['no-fixable-critical-or-high-vulnerabilities', 0, 2],
      ['no-agpl-v3-licenses', 1, 2],
      ['default-non-root-user', 1, 2],
      ['no-outdated-base-images', 0, 2],
    ]);
  });

  it('v2 complies with the license and user policies; a stream narrows the summaries', async () => {
    const report = await carol.policy(APP_V2, { stream: 'staging' });
    expect(report.policies.map((p) => p.status)).toEqual([
      'non-compliant',
      'compliant',
      'compliant',
      'non-compliant',
    ]);
    expect(report.summaries.every((s) => s.stream === 'staging' && s.totalImages === 1)).toBe(true);
  });

  it("lists the organization's policies with how many images comply, per stream", async () => {
    const all = await carol.policies();
    expect(all.organization).toBe('team');
    expect(all.stream).toBe('latest-indexed');
    expect(all.policies.map((p) => [p.displayName, p.compliantImages, p.totalImages])).toEqual([
      ['No fixable critical or high vulnerabilities', 0, 2],
      ['No AGPL v3 licenses', 1, 2],
      ['Default non-root user', 1, 2],
      ['No outdated base images', 0, 2],
    ]);
    const production = await carol.policies({ stream: 'production' });
    expect(production.policies.every((p) => p.stream === 'production' && p.totalImages === 1)).toBe(true);
    const stranger = scoutFor('erin');
    await expect(stranger.policies({ organization: 'team' })).rejects.toBeInstanceOf(PermissionDeniedError);
    await stranger.close();
  });

  it('needs an organization, refused before any request', async () => {
    const noOrg = scoutFor('carol');
    const before = statuses.length;
    await expect(noOrg.policies()).rejects.toThrow(ValidationError);
    await expect(noOrg.policy(APP_V1)).rejects.toThrow(ValidationError);
    expect(statuses.length).toBe(before);
    await noOrg.close();
  });
});

describe('compare', () => {
  it('computes packages and CVEs added, removed and changed', async () => {
    const diff = await carol.compare(APP_V1, APP_V2);
    expect(diff.counts.from.total).toBe(9);
    expect(diff.counts.to.total).toBe(6);
    expect(diff.packages.added.map((p) => `${p.name}@${p.version}`)).toEqual(['ws@8.17.0']);
    expect(diff.packages.removed.map((p) => p.name)).toEqual(['report-kit', 'xmldom']);
    expect(diff.packages.changed).toEqual([
      { name: 'braces', type: 'npm', from: '3.0.2', to: '3.0.3' },
      { name: 'express', type: 'npm', from: '4.18.2', to: '4.19.2' },
      { name: 'lodash', type: 'npm', from: '4.17.20', to: '4.17.21' },
    ]);
    expect(diff.vulnerabilities.added.map((v) => v.id)).toEqual(['CVE-2024-37890']);
    expect(diff.vulnerabilities.removed.map((v) => v.id)).toEqual([
      'CVE-2022-39353',
      'CVE-2024-4068',
      'CVE-2021-23337',
      'CVE-2024-29041',
    ]);
    expect(diff.vulnerabilities.changed).toEqual([]);
  });
});

describe('errors', () => {
  it('FORBIDDEN for a user without Scout is a PermissionDeniedError, though HTTP said 200', async () => {
    const dave = scoutFor('dave');
    statuses.length = 0;
    const err = await dave.summary(ALPINE_DIGEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((err as Error).message).toMatch(
      /^403 Docker Scout ImageSummary: Docker Scout is not included in the plan of dave \[FORBIDDEN\] — Docker Scout is not available to this account or organization/,
    );
    expect(statuses.at(-1)).toBe(200);
    expect(`${(err as Error).message} ${inspect(err)} ${JSON.stringify(err)}`).not.toContain(SENTINEL);
    await dave.close();
  });

  it('FORBIDDEN for an organization the user is not in', async () => {
    const erin = scoutFor('erin', 'team');
    await expect(erin.vulnerabilities(APP_V1)).rejects.toThrow(/erin is not a member of organization team/);
    await erin.close();
  });

  it('UNAUTHENTICATED without credentials is an AuthenticationError', async () => {
    const anonymous = scoutFor(undefined);
    const err = await anonymous.summary(ALPINE_DIGEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((err as Error).message).toContain('log in to Docker Hub');
    await anonymous.close();
  });

  it('re-mints a revoked JWT once and carries on', async () => {
    const client = scoutFor('carol', 'team');
    await client.summary(APP_V1);
    const mints = client.hub.auth.mints;
    emu.state.revokeTokens();
    expect((await client.summary(APP_V1)).vulnerabilities?.total).toBe(9);
    expect(client.hub.auth.mints).toBe(mints + 1);
    await client.close();
  });

  it('the emulator validates every document against the schema', async () => {
    const bogus = scoutDocument<{ digest: string }, unknown>(
      'query Bogus($digest: String!) { imageSummariesByDigest(digests: [$digest]) { cveCount } }',
    );
    const err = await carol.query(bogus, { digest: APP_V1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect((err as Error).message).toContain('Cannot query field "cveCount" on type "SdImageSummary"');
    const notEmulated = scoutDocument<Record<string, never>, unknown>(
      'query Status { serviceStatus { __typename } }',
    );
    await expect(carol.query(notEmulated, {})).rejects.toThrow(
      /Query.serviceStatus is not emulated \[NOT_IMPLEMENTED\]/,
    );
  });
});

describe('metrics exporter', () => {
  let pat: string;
  beforeAll(async () => {
    const hub = new HubClient({
      baseUrl: emu.url,
      credentials: { username: 'carol', password: SENTINEL, env: {}, useDockerConfig: false },
    });
    pat = (
      await hub.accessTokens.create({ token_label: 'prometheus', scopes: ['repo:read'] })
    ).token.reveal();
    await hub.close();
  });

  it('parses the Prometheus text into streams and policies', async () => {
    const metrics = await carol.metrics('team', { token: pat });
    expect(metrics.streams).toEqual([
      { stream: 'latest-indexed', critical: 1, high: 5, medium: 9, low: 0, unspecified: 0, total: 15 },
      { stream: 'production', critical: 1, high: 3, medium: 5, low: 0, unspecified: 0, total: 9 },
      { stream: 'staging', critical: 0, high: 2, medium: 4, low: 0, unspecified: 0, total: 6 },
    ]);
    expect(metrics.policies).toContainEqual({
      id: 'no-agpl-v3-licenses',
      displayName: 'No AGPL v3 licenses',
      stream: 'latest-indexed',
      compliantImages: 1,
      evaluatedImages: 2,
    });
    expect(metrics.samples).toContainEqual({
      name: 'scout_stream_vulnerabilities',
      labels: { streamName: 'production', severity: 'critical' },
      value: 1,
    });
    const text = await carol.metricsText('team', { token: pat });
    expect(text).toContain('# TYPE scout_policy_evaluated_images gauge\n');
  });

  it('uses the Hub credential when it is a PAT, and never sends a password', async () => {
    const viaPat = new ScoutClient({
      baseUrl: emu.url,
      hubUrl: emu.url,
      credentials: { username: 'carol', password: pat, env: {}, useDockerConfig: false },
    });
    expect((await viaPat.metrics('team')).streams).toHaveLength(3);
    await viaPat.close();
    const before = statuses.length;
    await expect(carol.metrics('team')).rejects.toThrow(/needs a personal access token/);
    expect(statuses.length).toBe(before);
  });

  it('refuses non-owners and organizations not enrolled in Scout', async () => {
    const hub = new HubClient({
      baseUrl: emu.url,
      credentials: { username: 'erin', password: SENTINEL, env: {}, useDockerConfig: false },
    });
    const erinPat = (await hub.accessTokens.create({ token_label: 'x', scopes: ['repo:read'] })).token;
    await hub.close();
    await expect(carol.metrics('team', { token: erinPat })).rejects.toThrow(PermissionDeniedError);
    await expect(carol.metrics('other', { token: erinPat })).rejects.toThrow(/not enrolled in Docker Scout/);
    await expect(carol.metrics('team', { token: 'dckr_pat_forged' })).rejects.toThrow(AuthenticationError);
  });
});
