/**
 * The transfer engine against two registries of one kind (real distribution, or the built-in registry),
 * cross-checked with skopeo: push then pull is byte-identical, digests survive every hop, same-registry
 * copies mount instead of moving data. Run by transfer(.builtin).integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DestructiveOperationBlockedError,
  NotFoundError,
  ValidationError,
} from '../../../src/core/errors.js';
import {
  copyImage,
  inspectImage,
  pullImage,
  pushImage,
  RegistryClient,
  tagImage,
} from '../../../src/registry/index.js';
import { writeOciLayout } from '../../helpers/oci-image.js';
import { type RegistryKind, type RunningRegistry, startRegistry } from '../../helpers/registry.js';
import { pushLayout, skopeo, skopeoDigest } from '../../helpers/skopeo.js';

export function transferSuite(kind: RegistryKind): void {
  describe(`[${kind} registry]`, () => {
    let a: RunningRegistry;
    let b: RunningRegistry;
    let work: string;
    let multi: Awaited<ReturnType<typeof writeOciLayout>>;
    let single: Awaited<ReturnType<typeof writeOciLayout>>;
    const requests: Array<{ method: string; url: string }> = [];
    let client: RegistryClient;

    async function sha(path: string) {
      return `sha256:${createHash('sha256')
        .update(await readFile(path))
        .digest('hex')}`;
    }

    beforeAll(async () => {
      [a, b] = await Promise.all([
        startRegistry({ auth: 'none', kind }),
        startRegistry({ auth: 'none', kind }),
      ]);
      work = await mkdtemp(join(tmpdir(), 'dh-transfer-'));
      multi = await writeOciLayout(join(work, 'multi'), {
        tag: 'v1',
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
          { os: 'linux', architecture: 'arm', variant: 'v7' },
        ],
        layers: [300_000, 20_000_000],
      });
      single = await writeOciLayout(join(work, 'single'), { tag: 'v1', layers: [1000, 2000, 3000] });
      client = new RegistryClient({
        hooks: [{ onRequest: (r) => requests.push({ method: r.method, url: r.url }) }],
      });
    }, 120_000);

    afterAll(async () => {
      await client?.close();
      await Promise.all([a?.stop(), b?.stop()]);
      if (work) await rm(work, { recursive: true, force: true });
    });

    describe('transfer engine', () => {
      it('pushes a 3-platform layout keeping the index digest, readable by skopeo', async () => {
        const result = await pushImage(client, `${multi.dir}:v1`, `${a.host}/app/multi:v1`);
        expect(result.digest).toBe(multi.indexDigest);
        expect(result.uploaded).toBe(multi.blobs.length);
        expect(await skopeoDigest(`docker://${a.host}/app/multi:v1`)).toBe(multi.indexDigest);
        // skopeo can pull every platform of what we pushed
        await skopeo([
          'copy',
          '--all',
          '--src-tls-verify=false',
          `docker://${a.host}/app/multi:v1`,
          `oci:${join(work, 'skopeo-out')}:x`,
        ]);
      });

      it('pushing again uploads nothing: every blob is found with HEAD first', async () => {
        const result = await pushImage(client, `${multi.dir}:v1`, `${a.host}/app/multi:v1`);
        expect(result).toMatchObject({ uploaded: 0, skipped: multi.blobs.length });
      });

      it('pulls to an OCI layout byte-identical to what was pushed', async () => {
        const out = join(work, 'pulled');
        const result = await pullImage(client, `${a.host}/app/multi:v1`, out);
        expect(result.digest).toBe(multi.indexDigest);
        for (const blob of multi.blobs) {
          const original = join(multi.dir, 'blobs', 'sha256', blob.digest.slice(7));
          const copy = join(out, 'blobs', 'sha256', blob.digest.slice(7));
          expect(await sha(copy)).toBe(await sha(original));
        }
        const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
        expect(index.manifests[0]).toMatchObject({
          digest: multi.indexDigest,
          annotations: { 'org.opencontainers.image.ref.name': 'v1' },
        });
        // nothing but the layout itself is left beside it
        expect((await readdir(work)).filter((n) => n.includes('partial'))).toEqual([]);
        // and skopeo accepts our layout as a source
        await skopeo([
          'copy',
          '--all',
          '--preserve-digests',
          '--dest-tls-verify=false',
          `oci:${out}:v1`,
          `docker://${b.host}/from/ours:v1`,
        ]);
        expect(await skopeoDigest(`docker://${b.host}/from/ours:v1`)).toBe(multi.indexDigest);
      });

      it('pulls one platform only', async () => {
        const out = join(work, 'arm');
        const result = await pullImage(client, `${a.host}/app/multi:v1`, out, { platform: 'linux/arm/v7' });
        expect(multi.manifestDigests).toContain(result.digest);
        expect(result.manifests).toBe(1);
      });

      it('refuses to pull into a non-empty directory before any request', async () => {
        requests.length = 0;
        await expect(pullImage(client, `${a.host}/app/multi:v1`, multi.dir)).rejects.toBeInstanceOf(
          ValidationError,
        );
        expect(requests).toEqual([]);
      });

      it('copies between registries keeping the index digest', async () => {
        const result = await copyImage(client, `${a.host}/app/multi:v1`, `${b.host}/mirror/multi:v1`);
        expect(result.digest).toBe(multi.indexDigest);
        expect(await skopeoDigest(`docker://${b.host}/mirror/multi:v1`)).toBe(multi.indexDigest);
        const inspected = await inspectImage(client, `${b.host}/mirror/multi:v1`);
        expect(inspected.manifests.map((m) => m.platform)).toEqual([
          'linux/amd64',
          'linux/arm64/v8',
          'linux/arm/v7',
        ]);
      });

      it('copies within one registry by mounting: no layer data moves', async () => {
        requests.length = 0;
        const result = await copyImage(client, `${a.host}/app/multi:v1`, `${a.host}/other/multi:v1`);
        expect(result.digest).toBe(multi.indexDigest);
        const mounts = requests.filter((r) => r.method === 'POST' && r.url.includes('mount='));
        expect(mounts).toHaveLength(multi.blobs.length);
        expect(requests.filter((r) => r.method === 'PUT' && r.url.includes('/blobs/'))).toEqual([]);
        expect(requests.filter((r) => r.method === 'PATCH')).toEqual([]);
        expect(requests.filter((r) => r.method === 'GET' && r.url.includes('/blobs/'))).toEqual([]);
      });

      it('reads what skopeo pushed and copies it on', async () => {
        await pushLayout(single.dir, 'v1', `${a.host}/sk/single:v1`);
        const result = await copyImage(client, `${a.host}/sk/single:v1`, `${b.host}/sk/single:v1`);
        expect(result.digest).toBe(single.manifestDigests[0]);
        expect(await skopeoDigest(`docker://${b.host}/sk/single:v1`)).toBe(single.manifestDigests[0]);
      });

      it('tags by re-putting the manifest, with no blob traffic', async () => {
        requests.length = 0;
        const result = await tagImage(client, `${a.host}/app/multi:v1`, 'stable');
        expect(result.digest).toBe(multi.indexDigest);
        expect(requests.filter((r) => r.url.includes('/blobs/'))).toEqual([]);
        expect(await skopeoDigest(`docker://${a.host}/app/multi:stable`)).toBe(multi.indexDigest);
      });

      it('refuses to delete unless destructive operations are allowed', async () => {
        await expect(client.manifests.delete(`${a.host}/app/multi:stable`)).rejects.toBeInstanceOf(
          DestructiveOperationBlockedError,
        );
        const allowed = new RegistryClient({ allowDestructive: true });
        const { digest } = await allowed.manifests.delete(`${a.host}/other/multi:v1`);
        expect(digest).toBe(multi.indexDigest);
        await expect(allowed.manifests.get(`${a.host}/other/multi@${digest}`)).rejects.toBeInstanceOf(
          NotFoundError,
        );
        await allowed.close();
      });
    });
  });
}
