/**
 * The registry read path against a registry without auth (the real CNCF distribution registry, or the
 * built-in one); images are pushed with skopeo and every digest we read is cross-checked with what skopeo
 * reports. Run by read.integration.test.ts and read.builtin.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidReferenceError, NotFoundError } from '../../../src/core/errors.js';
import { parseReference } from '../../../src/reference/index.js';
import {
  imagePlatforms,
  inspectImage,
  RegistryClient,
  resolveImageManifest,
} from '../../../src/registry/index.js';
import { writeOciLayout } from '../../helpers/oci-image.js';
import { putManifest } from '../../helpers/raw-registry.js';
import { type RegistryKind, type RunningRegistry, startRegistry } from '../../helpers/registry.js';
import { pushLayout, skopeoDigest, skopeoInspect } from '../../helpers/skopeo.js';

export function readSuite(kind: RegistryKind): void {
  describe(`[${kind} registry]`, () => {
    let registry: RunningRegistry;
    let work: string;
    let client: RegistryClient;
    let single: Awaited<ReturnType<typeof writeOciLayout>>;
    let multi: Awaited<ReturnType<typeof writeOciLayout>>;

    beforeAll(async () => {
      registry = await startRegistry({ auth: 'none', kind });
      work = await mkdtemp(join(tmpdir(), 'dh-read-'));
      single = await writeOciLayout(join(work, 'single'), {
        tag: 'v1',
        layers: [1500, 70_000],
        annotations: { 'org.opencontainers.image.title': 'single' },
      });
      multi = await writeOciLayout(join(work, 'multi'), {
        tag: 'multi',
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
          { os: 'linux', architecture: 'arm', variant: 'v7' },
        ],
        layers: [4096],
      });
      await pushLayout(single.dir, 'v1', `${registry.host}/team/app:v1`);
      await pushLayout(single.dir, 'v1', `${registry.host}/team/app:v1.1`);
      await pushLayout(multi.dir, 'multi', `${registry.host}/team/multi:latest`);
      // Docker's own media types (v2 schema 2 manifest and manifest list), which Docker Hub still serves.
      await pushLayout(single.dir, 'v1', `${registry.host}/team/docker:v1`, undefined, {
        preserveDigests: false,
        extraArgs: ['--format', 'v2s2'],
      });
      await pushLayout(multi.dir, 'multi', `${registry.host}/team/dockerlist:v1`, undefined, {
        preserveDigests: false,
        extraArgs: ['--format', 'v2s2'],
      });
      client = new RegistryClient();
    }, 120_000);

    afterAll(async () => {
      await client?.close();
      await registry?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    describe('registry read path (no auth)', () => {
      it('inspects a single-platform image with the digest skopeo reports', async () => {
        const ref = `${registry.host}/team/app:v1`;
        const result = await inspectImage(client, ref);
        expect(result.digest).toBe(await skopeoDigest(`docker://${ref}`));
        expect(result.isIndex).toBe(false);
        const [m] = result.manifests;
        expect(m?.platform).toBe('linux/amd64');
        expect(m?.layers.map((l) => l.size)).toEqual([1500, 70_000]);
        expect(m?.totalLayerSize).toBe(71_500);
        const fromSkopeo = (await skopeoInspect(`docker://${ref}`)) as { Layers: string[] };
        expect(m?.layers.map((l) => l.digest)).toEqual(fromSkopeo.Layers);
        expect(m?.config?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      });

      it('inspects a 3-platform index keeping the index digest and each child digest', async () => {
        const ref = `${registry.host}/team/multi:latest`;
        const result = await inspectImage(client, ref);
        expect(result.isIndex).toBe(true);
        expect(result.digest).toBe(multi.indexDigest);
        expect(result.digest).toBe(await skopeoDigest(`docker://${ref}`));
        expect(result.manifests.map((m) => m.platform)).toEqual([
          'linux/amd64',
          'linux/arm64/v8',
          'linux/arm/v7',
        ]);
        const raw = (await skopeoInspect(`docker://${ref}`, { raw: true })) as {
          manifests: Array<{ digest: string }>;
        };
        expect(result.manifests.map((m) => m.digest)).toEqual(raw.manifests.map((d) => d.digest));
        expect(result.manifests.every((m) => m.config?.digest)).toBe(true);
      });

      it('narrows inspect to one platform and names the available ones when absent', async () => {
        const ref = `${registry.host}/team/multi:latest`;
        const arm = await inspectImage(client, ref, { platform: 'linux/arm64' });
        expect(arm.manifests.map((m) => m.platform)).toEqual(['linux/arm64/v8']);
        await expect(inspectImage(client, ref, { platform: 'windows/amd64' })).rejects.toThrow(
          /no windows\/amd64 image; available: linux\/amd64, linux\/arm64\/v8, linux\/arm\/v7/,
        );
      });

      it('reads Docker v2 manifests and manifest lists with the digests skopeo reports', async () => {
        const single = await inspectImage(client, `${registry.host}/team/docker:v1`);
        expect(single.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
        expect(single.digest).toBe(await skopeoDigest(`docker://${registry.host}/team/docker:v1`));
        expect(single.manifests[0]?.config?.mediaType).toBe('application/vnd.docker.container.image.v1+json');
        const list = await inspectImage(client, `${registry.host}/team/dockerlist:v1`);
        expect(list.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
        expect(list.digest).toBe(await skopeoDigest(`docker://${registry.host}/team/dockerlist:v1`));
        expect(list.manifests.map((m) => m.platform)).toEqual([
          'linux/amd64',
          'linux/arm64/v8',
          'linux/arm/v7',
        ]);
      });

      it('lists platforms and resolves one platform manifest', async () => {
        const ref = `${registry.host}/team/multi:latest`;
        expect(await imagePlatforms(client, ref)).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
        const arm = await resolveImageManifest(client, ref, { platform: 'linux/arm/v7' });
        expect(arm.platform).toBe('linux/arm/v7');
        expect(multi.manifestDigests).toContain(arm.digest);
      });

      it('HEAD-resolves a tag to the same digest as a GET', async () => {
        const ref = `${registry.host}/team/app:v1`;
        const head = await client.manifests.head(ref);
        const get = await client.manifests.get(ref);
        expect(head.digest).toBe(get.digest);
        expect(head.size).toBe(get.size);
        expect(createHash('sha256').update(get.bytes).digest('hex')).toBe(get.digest.slice(7));
      });

      it('gives the raw response next to the data', async () => {
        const { data, response } = await client.manifests.get(`${registry.host}/team/app:v1`).withResponse();
        expect(response.status).toBe(200);
        expect(response.headers['docker-content-digest']).toBe(data.digest);
      });

      it('lists every tag of a repository', async () => {
        const tags = await client.tags.list(`${registry.host}/team/app`).toArray();
        expect(tags.sort()).toEqual(['v1', 'v1.1']);
      });

      it('streams a blob verified against its digest', async () => {
        const ref = parseReference(`${registry.host}/team/app:v1`);
        const { manifest } = await resolveImageManifest(client, ref);
        const layer = manifest.layers[1]!;
        const blob = await client.blobs.get(ref, layer.digest, { size: layer.size });
        const hash = createHash('sha256');
        for await (const chunk of blob.stream) hash.update(chunk as Buffer);
        expect(`sha256:${hash.digest('hex')}`).toBe(layer.digest);
        expect(await client.blobs.head(ref, layer.digest)).toEqual({ size: layer.size });
        expect(await client.blobs.exists(ref, `sha256:${'0'.repeat(64)}`)).toBe(false);
      });

      it('reads the image config', async () => {
        const ref = `${registry.host}/team/app:v1`;
        const { manifest } = await resolveImageManifest(client, ref);
        const config = await client.blobs.getJson<{ architecture: string; os: string }>(
          ref,
          manifest.config.digest,
        );
        expect(config).toMatchObject({ architecture: 'amd64', os: 'linux' });
      });

      it('raises NotFoundError with the registry code for a missing tag', async () => {
        const err = (await client.manifests
          .get(`${registry.host}/team/app:nope`)
          .catch((e) => e)) as NotFoundError;
        expect(err).toBeInstanceOf(NotFoundError);
        expect(err.code).toBe('MANIFEST_UNKNOWN');
        expect(await client.manifests.exists(`${registry.host}/team/app:nope`)).toBe(false);
      });

      it('rejects a bad reference before sending anything', async () => {
        await expect(inspectImage(client, `${registry.host}/Team/App:v1`)).rejects.toBeInstanceOf(
          InvalidReferenceError,
        );
        await expect(inspectImage(client, `${registry.host}/team/../app`)).rejects.toBeInstanceOf(
          InvalidReferenceError,
        );
      });

      if (kind === 'distribution') {
        it('finds referrers through the tag-schema fallback (distribution 2.8 has no referrers API)', async () => {
          const subject = await client.manifests.get(`${registry.host}/team/app:v1`);
          // distribution checks that an index's children exist: point at a manifest the repository has.
          const sbom = {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: subject.digest,
            size: subject.size,
            artifactType: 'application/spdx+json',
          };
          const index = Buffer.from(
            JSON.stringify({
              schemaVersion: 2,
              mediaType: 'application/vnd.oci.image.index.v1+json',
              manifests: [sbom],
            }),
          );
          await putManifest(
            registry.url,
            'team/app',
            subject.digest.replace(':', '-'),
            index,
            'application/vnd.oci.image.index.v1+json',
          );
          const result = await client.referrers.list(`${registry.host}/team/app:v1`);
          expect(result.source).toBe('tag-schema');
          expect(result.subject).toBe(subject.digest);
          expect(result.referrers).toEqual([sbom]);
          const filtered = await client.referrers.list(`${registry.host}/team/app:v1`, {
            artifactType: 'application/x-other',
          });
          expect(filtered.referrers).toEqual([]);
        });
      } else {
        it('lists referrers through the referrers API, filtered by the registry', async () => {
          const subject = await client.manifests.get(`${registry.host}/team/app:v1`);
          // An OCI 1.1 artifact: empty config, one empty layer, `subject` pointing at the image.
          const empty = Buffer.from('{}');
          const emptyDigest = `sha256:${createHash('sha256').update(empty).digest('hex')}`;
          const upload = await request(`${registry.url}/v2/team/app/blobs/uploads/?digest=${emptyDigest}`, {
            method: 'POST',
            headers: { 'content-type': 'application/octet-stream' },
            body: empty,
          });
          await upload.body.dump();
          expect(upload.statusCode).toBe(201);
          const emptyDescriptor = {
            mediaType: 'application/vnd.oci.empty.v1+json',
            digest: emptyDigest,
            size: 2,
          };
          const artifact = Buffer.from(
            JSON.stringify({
              schemaVersion: 2,
              mediaType: 'application/vnd.oci.image.manifest.v1+json',
              artifactType: 'application/spdx+json',
              config: emptyDescriptor,
              layers: [emptyDescriptor],
              subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
              annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
            }),
          );
          const artifactDigest = `sha256:${createHash('sha256').update(artifact).digest('hex')}`;
          const put = await request(`${registry.url}/v2/team/app/manifests/${artifactDigest}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
            body: artifact,
          });
          await put.body.dump();
          expect(put.statusCode).toBe(201);
          expect(put.headers['oci-subject']).toBe(subject.digest);

          const result = await client.referrers.list(`${registry.host}/team/app:v1`);
          expect(result).toMatchObject({ source: 'api', subject: subject.digest });
          expect(result.referrers).toEqual([
            {
              mediaType: 'application/vnd.oci.image.manifest.v1+json',
              digest: artifactDigest,
              size: artifact.length,
              artifactType: 'application/spdx+json',
              annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
            },
          ]);
          const filtered = await client.referrers.list(`${registry.host}/team/app:v1`, {
            artifactType: 'application/x-other',
          });
          expect(filtered).toMatchObject({ referrers: [], filteredByRegistry: true });
        });
      }

      it('returns no referrers when there are none', async () => {
        const result = await client.referrers.list(`${registry.host}/team/multi:latest`);
        expect(result.referrers).toEqual([]);
      });

      it('pings the registry', async () => {
        const ping = await client.ping(registry.host);
        expect(ping).toMatchObject({ authRequired: false, apiVersion: 'registry/2.0' });
      });

      it('keeps the layers skopeo wrote byte-identical when read back', async () => {
        const ref = parseReference(`${registry.host}/team/app:v1`);
        const blob = single.blobs.find((b) => b.size === 70_000)!;
        const bytes: Buffer[] = [];
        for await (const c of (await client.blobs.get(ref, blob.digest)).stream) bytes.push(c as Buffer);
        const onDisk = await readFile(join(single.dir, 'blobs', 'sha256', blob.digest.slice(7)));
        expect(Buffer.concat(bytes).equals(onDisk)).toBe(true);
      });
    });
  });
}
