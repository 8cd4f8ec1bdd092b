/**
 * The CLI's read commands, driven in-process against a real registry: what a person sees (text), what a
 * script sees (--json), and one-line errors with meaningful exit codes.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout, skopeoDigest } from '../helpers/skopeo.js';

let registry: RunningRegistry;
let work: string;
let layout: Awaited<ReturnType<typeof writeOciLayout>>;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-cli-'));
  layout = await writeOciLayout(join(work, 'img'), {
    tag: '2.0',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 's390x' },
    ],
    layers: [3000, 5000],
  });
  await pushLayout(layout.dir, '2.0', `${registry.host}/cli/img:2.0`);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('dockerhub CLI, registry read commands', () => {
  it('inspect prints a platform table for people', async () => {
    const { code, stdout, stderr } = await cli(['inspect', `${registry.host}/cli/img:2.0`]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Name:`);
    expect(stdout).toContain(layout.indexDigest);
    expect(stdout).toMatch(/PLATFORM\s+DIGEST\s+LAYERS\s+SIZE\s+CREATED/);
    expect(stdout).toMatch(/linux\/arm64\/v8\s+sha256:[0-9a-f]{12}\s+2\s+8\.0 kB/);
  });

  it('inspect --json gives the same facts to scripts', async () => {
    const { code, stdout } = await cli([
      '--json',
      'inspect',
      `${registry.host}/cli/img:2.0`,
      '--platform',
      'linux/s390x',
    ]);
    expect(code).toBe(0);
    const data = JSON.parse(stdout);
    expect(data.digest).toBe(await skopeoDigest(`docker://${registry.host}/cli/img:2.0`));
    expect(data.manifests).toHaveLength(1);
    expect(data.manifests[0]).toMatchObject({ platform: 'linux/s390x', totalLayerSize: 8000 });
  });

  it('inspect of a single platform lists its layers', async () => {
    const { stdout } = await cli(['inspect', `${registry.host}/cli/img:2.0`, '--platform', 'linux/amd64']);
    expect(stdout).toMatch(/LAYER\s+SIZE\s+MEDIA TYPE/);
    expect(stdout).toContain('application/vnd.oci.image.layer.v1.tar+gzip');
  });

  it('digest prints the digest alone, platforms one per line, tags one per line', async () => {
    expect((await cli(['digest', `${registry.host}/cli/img:2.0`])).stdout).toBe(`${layout.indexDigest}\n`);
    const arm = await cli(['digest', `${registry.host}/cli/img:2.0`, '--platform', 'linux/arm64']);
    expect(layout.manifestDigests).toContain(arm.stdout.trim());
    expect((await cli(['platforms', `${registry.host}/cli/img:2.0`])).stdout).toBe(
      'linux/amd64\nlinux/arm64/v8\nlinux/s390x\n',
    );
    expect((await cli(['tags', `${registry.host}/cli/img`])).stdout).toBe('2.0\n');
  });

  it('manifest prints the exact index, config prints the image config', async () => {
    const manifest = JSON.parse((await cli(['manifest', `${registry.host}/cli/img:2.0`])).stdout);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(manifest.manifests).toHaveLength(3);
    const config = JSON.parse(
      (await cli(['config', `${registry.host}/cli/img:2.0`, '--platform', 'linux/s390x'])).stdout,
    );
    expect(config).toMatchObject({ os: 'linux', architecture: 's390x' });
  });

  it('blob -o writes a verified file and leaves no temp file behind', async () => {
    const blob = layout.blobs.find((b) => b.size === 5000)!;
    const out = join(work, 'out', 'layer.bin');
    const { code, stdout } = await cli(['blob', `${registry.host}/cli/img`, blob.digest, '-o', out]);
    expect(code).toBe(0);
    expect(stdout).toContain('(verified)');
    const bytes = await readFile(out);
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(blob.digest);
    expect(await readdir(join(work, 'out'))).toEqual(['layer.bin']);
  });

  it('blob refuses to write binary to a terminal', async () => {
    const blob = layout.blobs[0]!;
    const { code, stderr } = await cli(['blob', `${registry.host}/cli/img`, blob.digest], { isTTY: true });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'dockerhub: refusing to write a blob to a terminal: use -o FILE or redirect stdout\n',
    );
  });

  it('a bad reference is one line on stderr and exit code 2, before any request', async () => {
    const { code, stdout, stderr } = await cli(['inspect', 'Not A Reference']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^dockerhub: .*invalid reference/i);
  });

  it('a missing image is one line on stderr, exit code 1, and JSON with --json', async () => {
    const text = await cli(['inspect', `${registry.host}/cli/img:missing`]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^dockerhub: 404 manifest unknown/);
    expect(text.stderr.trim().split('\n')).toHaveLength(1);
    const json = await cli(['--json', 'inspect', `${registry.host}/cli/img:missing`]);
    expect(JSON.parse(json.stderr).error).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      code: 'MANIFEST_UNKNOWN',
    });
  });

  it('an unknown command or missing argument is a usage error with help hint', async () => {
    const res = await cli(['inspect']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("missing required argument 'image'");
  });

  it('--help documents every read command', async () => {
    const { stdout } = await cli(['--help']);
    for (const c of ['inspect', 'manifest', 'config', 'platforms', 'tags', 'digest', 'referrers', 'blob']) {
      expect(stdout).toMatch(new RegExp(`\\n\\s+${c}\\b`));
    }
  });
});
