/**
 * Pushing `docker save` tarballs, both the legacy form (manifest.json + layer.tar) and Docker ≥ 25's OCI
 * layout inside a tar, built here with GNU tar, then read back by skopeo.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { inspectImage, pushImage, RegistryClient } from '../../src/registry/index.js';
import { indexTar } from '../../src/registry/transfer/docker-archive.js';
import { cli } from '../helpers/cli.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { skopeoInspect } from '../helpers/skopeo.js';

let registry: RunningRegistry;
let work: string;
let legacyTar: string;
let diffIds: string[];
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A legacy `docker save` tarball with two layers (each itself a tar) and a long file name. */
async function writeLegacyArchive(dir: string): Promise<string> {
  const root = join(dir, 'legacy');
  const layerIds = ['a'.repeat(64), 'b'.repeat(64)];
  diffIds = [];
  for (const id of layerIds) {
    const content = join(dir, `content-${id.slice(0, 4)}`);
    await mkdir(content, { recursive: true });
    await writeFile(join(content, 'file.bin'), randomBytes(40_000));
    await mkdir(join(root, id), { recursive: true });
    execFileSync('tar', ['-cf', join(root, id, 'layer.tar'), '-C', content, '.']);
    diffIds.push(sha(execFileSync('cat', [join(root, id, 'layer.tar')])));
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
  const configName = `${sha(config).slice(7)}.json`;
  await writeFile(join(root, configName), config);
  const manifest = [
    { Config: configName, RepoTags: ['example/app:1.0'], Layers: layerIds.map((id) => `${id}/layer.tar`) },
  ];
  await writeFile(join(root, 'manifest.json'), JSON.stringify(manifest));
  const tar = join(dir, 'legacy.tar');
  execFileSync('tar', ['--format=gnu', '-cf', tar, '-C', root, '.']);
  return tar;
}

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-archive-'));
  legacyTar = await writeLegacyArchive(work);
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('push from docker save tarballs', () => {
  it('indexes tar entries in place', async () => {
    const entries = await indexTar(legacyTar);
    expect([...entries.keys()]).toContain('manifest.json');
    expect([...entries.keys()].filter((n) => n.endsWith('layer.tar'))).toHaveLength(2);
  });

  it('pushes a legacy archive as an OCI image whose layers are the diff_ids', async () => {
    const client = new RegistryClient();
    const result = await pushImage(client, legacyTar, `${registry.host}/arch/legacy:1.0`);
    expect(result.uploaded).toBe(3);
    const seen = (await skopeoInspect(`docker://${registry.host}/arch/legacy:1.0`)) as {
      Layers: string[];
      Architecture: string;
    };
    expect(seen.Layers).toEqual(diffIds);
    expect(seen.Architecture).toBe('amd64');
    const inspected = await inspectImage(client, `${registry.host}/arch/legacy:1.0`);
    expect(inspected.manifests[0]?.config?.cmd).toEqual(['sh']);
    await client.close();
  });

  it('selects an image by repo tag and names the choices when it is wrong', async () => {
    const client = new RegistryClient();
    await pushImage(client, `${legacyTar}:example/app:1.0`, `${registry.host}/arch/legacy:by-tag`);
    await expect(pushImage(client, `${legacyTar}:nope`, `${registry.host}/arch/legacy:x`)).rejects.toThrow(
      /it has example\/app:1.0/,
    );
    await client.close();
  });

  it('pushes an OCI-layout archive (docker save from Docker 25+) keeping the index digest', async () => {
    const layout = await writeOciLayout(join(work, 'oci'), {
      tag: '2.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
      layers: [5000],
    });
    const tar = join(work, 'oci.tar');
    execFileSync('tar', ['-cf', tar, '-C', layout.dir, '.']);
    const res = await cli(['--json', 'push', tar, `${registry.host}/arch/oci:2.0`, '-q']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).digest).toBe(layout.indexDigest);
  });

  it('rejects a file that is not a tar with a clear error', async () => {
    const bogus = join(work, 'bogus.tar');
    await writeFile(bogus, randomBytes(2048));
    const client = new RegistryClient();
    const err = await pushImage(client, bogus, `${registry.host}/arch/x:1`).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toBe(`${bogus} is not a tar archive (a docker save output is expected)`);
    await client.close();
  });
});
