/** Semver-aware tags and digest pinning: pure rules, then the CLI against a real registry. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/registry/index.js';
import {
  filterSemverTags,
  latestSemverTag,
  parseVersionTag,
  sortTags,
} from '../../src/registry/tag-utils.js';
import { cli } from '../helpers/cli.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { putManifest } from '../helpers/raw-registry.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';

const TAGS = [
  'latest',
  '1',
  '1.2',
  '1.2.3',
  '1.27',
  '1.27.0',
  '1.27.3',
  'v1.30.1',
  '2.0.0-rc1',
  '1.27.3-alpine',
  'edge',
  '10.0',
];

describe('version tags', () => {
  it('reads docker-style version tags', () => {
    expect(parseVersionTag('1.27')?.version.version).toBe('1.27.0');
    expect(parseVersionTag('v1.30.1')?.version.version).toBe('1.30.1');
    expect(parseVersionTag('1.27.3-alpine')?.version.prerelease).toEqual(['alpine']);
    expect(parseVersionTag('latest')).toBeUndefined();
    expect(parseVersionTag('1.2.3.4')).toBeUndefined();
  });

  it('filters by range in version order, leaving suffixed tags out unless asked', () => {
    expect(filterSemverTags(TAGS, '^1.2')).toEqual(['1.2', '1.2.3', '1.27', '1.27.0', '1.27.3', 'v1.30.1']);
    expect(filterSemverTags(TAGS, '~1.27', { includePrerelease: true })).toEqual([
      '1.27',
      '1.27.0',
      '1.27.3-alpine',
      '1.27.3',
    ]);
    expect(latestSemverTag(TAGS)).toBe('10.0');
    expect(latestSemverTag(TAGS, '<2')).toBe('v1.30.1');
    expect(() => filterSemverTags(TAGS, 'not a range')).toThrow('invalid semver range "not a range"');
  });

  it('sorts versions numerically after other tags', () => {
    expect(sortTags(['10.0', '9.1', 'latest', '1.10', '1.9', 'edge'], 'semver')).toEqual([
      'edge',
      'latest',
      '1.9',
      '1.10',
      '9.1',
      '10.0',
    ]);
    expect(sortTags(['b', 'a', '10', '9'])).toEqual(['10', '9', 'a', 'b']);
  });
});

describe('tags and pin commands against a real registry', () => {
  let registry: RunningRegistry;
  let work: string;
  let digest: string;
  let armDigest: string;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'none' });
    work = await mkdtemp(join(tmpdir(), 'dh-tags-'));
    const layout = await writeOciLayout(join(work, 'img'), {
      tag: 'base',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
      layers: [64],
    });
    await pushLayout(layout.dir, 'base', `${registry.host}/t/app:base`);
    const client = new RegistryClient();
    const index = await client.manifests.get(`${registry.host}/t/app:base`);
    digest = index.digest;
    armDigest = layout.manifestDigests[1]!;
    await client.close();
    // Extra tags are manifest re-puts: no blob traffic.
    for (const tag of TAGS) await putManifest(registry.url, 't/app', tag, index.bytes, index.mediaType);
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('tags --semver --latest picks the highest version in range', async () => {
    expect((await cli(['tags', `${registry.host}/t/app`, '--semver', '^1.2', '--latest'])).stdout).toBe(
      'v1.30.1\n',
    );
    expect((await cli(['tags', `${registry.host}/t/app`, '--semver', '~1.27'])).stdout).toBe(
      '1.27\n1.27.0\n1.27.3\n',
    );
    expect(
      (await cli(['--json', 'tags', `${registry.host}/t/app`, '--sort', 'semver', '--limit', '3'])).stdout,
    ).toBe(`${JSON.stringify(['base', 'edge', 'latest'], null, 2)}\n`);
  });

  it('tags rejects a bad range in one line before listing', async () => {
    const res = await cli(['tags', `${registry.host}/t/app`, '--semver', 'x y z']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('dockerhub: invalid semver range "x y z"\n');
  });

  it('pin prints name@digest, for the index or one platform', async () => {
    expect((await cli(['pin', `${registry.host}/t/app:1.27`])).stdout).toBe(
      `${registry.host}/t/app@${digest}\n`,
    );
    expect((await cli(['pin', `${registry.host}/t/app:1.27`, '--keep-tag'])).stdout).toBe(
      `${registry.host}/t/app:1.27@${digest}\n`,
    );
    expect((await cli(['pin', `${registry.host}/t/app:1.27`, '--platform', 'linux/arm64'])).stdout).toBe(
      `${registry.host}/t/app@${armDigest}\n`,
    );
  });
});
