/**
 * `dockerhub scout …` as a user runs it: images are pushed to a real distribution registry, tags are
 * resolved to digests there, and the emulator's Scout is seeded with those digests.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';
import { pushImage, RegistryClient } from '../../src/registry/index.js';
import { type CliRun, cli } from '../helpers/cli.js';
import { type OciLayout, writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { SENTINEL, scoutSeed } from '../helpers/scout-seed.js';

let registry: RunningRegistry;
let emu: RunningEmulator;
let work: string;
let single: OciLayout;
let multi: OciLayout;
let pat: string;
const outputs: string[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-scout-'));
  single = await writeOciLayout(join(work, 'single'), { tag: 'v1', layers: [1500] });
  multi = await writeOciLayout(join(work, 'multi'), {
    tag: 'v2',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    layers: [1200],
  });
  const client = new RegistryClient();
  await pushImage(client, `${single.dir}:v1`, `${registry.host}/team/app:v1`);
  await pushImage(client, `${multi.dir}:v2`, `${registry.host}/team/app:v2`);
  await client.close();
  // v1 is single-platform; v2 is an index whose linux/arm64 image is the one Scout analysed.
  emu = await startEmulator({
    seed: scoutSeed({
      appV1: single.manifestDigests[0] as string,
      appV2: multi.manifestDigests[1] as string,
      hostName: registry.host,
    }),
  });
  Object.assign(process.env, {
    DOCKER_HUB_USER: 'carol',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
    DOCKERHUB_SCOUT_URL: emu.url,
  });
  const hub = new HubClient({ baseUrl: emu.url });
  pat = (await hub.accessTokens.create({ token_label: 'metrics', scopes: ['repo:read'] })).token.reveal();
  await hub.close();
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs `dockerhub scout …` in organization team (its images are private). */
async function scout(...args: string[]): Promise<CliRun> {
  const org = args.includes('metrics') || args.includes('policy') ? [] : ['--org', 'team'];
  const res = await cli(['--hub-url', emu.url, 'scout', ...args, ...org]);
  outputs.push(res.stdout, res.stderr);
  return res;
}

const v1 = () => `${registry.host}/team/app:v1`;
const v2 = () => `${registry.host}/team/app:v2`;

describe('dockerhub scout', () => {
  it('summary resolves the tag to its digest and prints counts for the image and its base', async () => {
    const res = await scout('summary', v1());
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Image:      ${v1()}\n`);
    expect(res.stdout).toContain(`Digest:     ${single.manifestDigests[0]}\n`);
    expect(res.stdout).toMatch(/Base image: alpine:3\.18\.4 \(sha256:[0-9a-f]{12}\)/);
    expect(res.stdout).toMatch(/\n\s+CRITICAL\s+HIGH\s+MEDIUM\s+LOW\s+UNSPECIFIED\s+TOTAL\n/);
    expect(res.stdout).toMatch(/\nTarget\s+1\s+3\s+5\s+0\s+0\s+9\n/);
    expect(res.stdout).toMatch(/\nBase image\s+0\s+0\s+3\s+0\s+0\s+3\n/);
    const json = JSON.parse((await scout('summary', v1(), '--json')).stdout);
    expect(json.vulnerabilities.total).toBe(9);
  });

  it('a private image needs its organization: --org or DOCKERHUB_SCOUT_ORG', async () => {
    const bare = await cli(['--hub-url', emu.url, 'scout', 'summary', v1()]);
    outputs.push(bare.stdout, bare.stderr);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe(
      `dockerhub: Docker Scout has no analysis of ${v1()} (${single.manifestDigests[0]}): is it indexed? for a private image, give its organization (--org)\n`,
    );
    process.env.DOCKERHUB_SCOUT_ORG = 'team';
    try {
      const viaEnv = await cli(['--hub-url', emu.url, 'scout', 'summary', v1()]);
      expect(viaEnv.code).toBe(0);
    } finally {
      delete process.env.DOCKERHUB_SCOUT_ORG;
    }
  });

  it('picks one platform of a multi-platform image with --platform', async () => {
    const res = await scout('--json', 'summary', v2(), '--platform', 'linux/arm64');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const data = JSON.parse(res.stdout);
    expect(data.image).toEqual({
      digest: multi.manifestDigests[1],
      reference: v2(),
      platform: 'linux/arm64',
    });
    expect(data.vulnerabilities.total).toBe(6);
  });

  it('cves lists vulnerabilities; --exit-code fails a CI gate only when some are found', async () => {
    const gate = await scout('cves', v1(), '--severity', 'critical,high', '--exit-code');
    expect(gate.stderr).toBe(`dockerhub: 4 vulnerabilities at critical/high severity in ${v1()}\n`);
    expect(gate.code).toBe(3);
    const lines = gate.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CVE\s+SEVERITY\s+CVSS\s+PACKAGE\s+INSTALLED\s+FIXED\s+URL$/);
    expect(lines[1]).toMatch(
      /^CVE-2022-39353\s+critical\s+9\.8\s+@xmldom\/xmldom\s+0\.7\.5\s+0\.7\.7\s+https:\/\/scout\.docker\.com\/v\/CVE-2022-39353$/,
    );
    expect(lines[2]).toMatch(/^CVE-2024-29415\s+high\s+8\.1\s+ip\s+2\.0\.0\s+not fixed\s+/);
    expect(lines.at(-1)).toBe(
      '4 vulnerabilities at critical/high severity: 1 critical, 3 high, 0 medium, 0 low, 0 unspecified',
    );
    expect(gate.stderr).toBe(`dockerhub: 4 vulnerabilities at critical/high severity in ${v1()}\n`);

    const clean = await scout(
      'cves',
      v2(),
      '--platform',
      'linux/arm64',
      '--severity',
      'critical',
      '--exit-code',
    );
    expect(clean.code).toBe(0);
    expect(clean.stdout).toBe(`no vulnerabilities at critical severity found in ${v2()}\n`);

    const all = await scout('cves', v1());
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/\n9 vulnerabilities: 1 critical, 3 high, 5 medium, 0 low, 0 unspecified\n$/);

    const json = await scout('--json', 'cves', v1(), '--severity', 'medium', '--exit-code');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout).vulnerabilities).toHaveLength(5);
    expect(JSON.parse(json.stderr).error.name).toBe('VulnerabilitiesFound');

    const bad = await scout('cves', v1(), '--severity', 'severe');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'dockerhub: unknown severity "severe"; valid: critical, high, medium, low, unspecified\n',
    );
  });

  it('sbom writes SPDX to a file atomically, or CycloneDX to stdout', async () => {
    const dir = await mkdtemp(join(work, 'sbom-'));
    const file = join(dir, 'app.spdx.json');
    const res = await scout('sbom', v1(), '--format', 'spdx', '-o', file);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(`wrote SPDX 2.3 SBOM of ${v1()} (10 packages) to ${file}\n`);
    expect(await readdir(dir)).toEqual(['app.spdx.json']);
    const spdx = JSON.parse(await readFile(file, 'utf8'));
    expect(spdx).toMatchObject({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', name: v1() });
    expect(spdx.packages[0]).toMatchObject({
      SPDXID: 'SPDXRef-Image',
      versionInfo: single.manifestDigests[0],
    });

    const cdx = await scout('sbom', v1(), '--format', 'cyclonedx');
    expect(JSON.parse(cdx.stdout)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    const written = await scout(
      '--json',
      'sbom',
      v1(),
      '--format',
      'cyclonedx',
      '-o',
      join(dir, 'app.cdx.json'),
    );
    expect(JSON.parse(written.stdout)).toEqual({
      file: join(dir, 'app.cdx.json'),
      format: 'cyclonedx',
      packages: 10,
    });
  });

  it('recommendations shows the base image and better tags', async () => {
    const res = await scout('recommendations', v1());
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Base image: alpine:3\.18\.4 /);
    expect(res.stdout).toMatch(/Current:\s+3\.18\.4: 0C 0H 3M 0L/);
    expect(res.stdout).toMatch(
      /\nTAG\s+CRITICAL\s+HIGH\s+MEDIUM\s+LOW\s+SIZE\s+SCORE\s+WHY\n3\.20\.3\s+0\s+0\s+0\s+0\s+3\.6 MB\s+100\s+Newer image/,
    );
    expect(res.stdout).toMatch(/\n3\.19\.4\s+0\s+0\s+1\s+0\s+3\.4 MB\s+80\s+Minor upgrade/);
  });

  it("policy reads the image's namespace as its organization and lists deviations", async () => {
    const res = await scout('policy', v1());
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Organization: team\n');
    expect(res.stdout).toMatch(/\nNo fixable critical or high vulnerabilities\s+non-compliant\s+3\n/);
    expect(res.stdout).toMatch(/\nDefault non-root user\s+non-compliant\s+1\n/);
    expect(res.stdout).toContain('  No AGPL v3 licenses: pkg:npm/%40acme/report-kit@1.2.0 AGPL-3.0-only\n');
    expect(res.stdout).toContain('  No fixable critical or high vulnerabilities: CVE-2022-39353 critical');
    expect(res.stdout).toMatch(/team images in stream latest-indexed:\nPOLICY\s+COMPLIANT\s+DEVIATIONS\n/);
    expect(res.stdout).toMatch(/\nNo AGPL v3 licenses\s+1\/2\s+1\n/);

    const digestOnly = await scout('policy', single.manifestDigests[0] as string);
    expect(digestOnly.code).toBe(2);
    expect(digestOnly.stderr).toMatch(/^dockerhub: policies belong to an organization/);
  });

  it('compare shows packages and CVEs added, removed and changed', async () => {
    const res = await scout('compare', v1(), v2(), '--platform', 'linux/arm64');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /Vulnerabilities: 9 → 6 \(critical 1 → 0, high 3 → 2, medium 5 → 4, low 0 → 0\)/,
    );
    expect(res.stdout).toContain('\nPackages: 1 added, 2 removed, 3 changed\n');
    expect(res.stdout).toMatch(/\n\+\s+ws\s+npm\s+-\s+8\.17\.0\n/);
    expect(res.stdout).toMatch(/\n-\s+@xmldom\/xmldom\s+npm\s+0\.7\.5\s+-\n/);
    expect(res.stdout).toMatch(/\n~\s+express\s+npm\s+4\.18\.2\s+4\.19\.2\n/);
    expect(res.stdout).toContain('\nVulnerabilities: 1 added, 4 removed, 0 changed\n');
    expect(res.stdout).toMatch(/\n\+\s+CVE-2024-37890\s+high\s+ws\s+8\.17\.0\n/);
  });

  it('metrics prints the exporter tables, or the raw Prometheus text', async () => {
    process.env.DOCKERHUB_SCOUT_TOKEN = pat;
    try {
      const res = await scout('metrics', 'team');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/\nlatest-indexed\s+1\s+5\s+9\s+0\s+0\s+15\n/);
      expect(res.stdout).toMatch(/\nproduction\s+No AGPL v3 licenses\s+0\s+1\n/);
      const raw = await scout('metrics', 'team', '--raw');
      expect(raw.stdout.startsWith('# HELP scout_stream_vulnerabilities')).toBe(true);
      expect(raw.stdout).toContain(
        'scout_policy_evaluated_images{id="default-non-root-user",displayName="Default non-root user",streamName="staging"} 1\n',
      );
      expect(outputs.join('')).not.toContain(pat);
    } finally {
      delete process.env.DOCKERHUB_SCOUT_TOKEN;
    }
    const noPat = await scout('metrics', 'team');
    expect(noPat.code).toBe(2);
    expect(noPat.stderr).toMatch(/^dockerhub: the Scout metrics exporter needs a personal access token/);
  });

  it('a user without Scout gets one readable line (or JSON) and exit 1', async () => {
    process.env.DOCKER_HUB_USER = 'dave';
    try {
      const res = await scout('summary', v1());
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(
        /^dockerhub: 403 Docker Scout ImageSummary: Docker Scout is not included in the plan of dave \[FORBIDDEN\] — Docker Scout is not available to this account or organization .*\n$/,
      );
      const json = await scout('--json', 'cves', v1());
      expect(JSON.parse(json.stderr).error).toMatchObject({
        name: 'PermissionDeniedError',
        status: 403,
        code: 'FORBIDDEN',
      });
    } finally {
      process.env.DOCKER_HUB_USER = 'carol';
    }
  });

  it('never prints the password', () => {
    expect(outputs.length).toBeGreaterThan(20);
    expect(outputs.join('\n')).not.toContain(SENTINEL);
  });
});
