/**
 * The upload session API (a blob sent in pieces across calls), blob mounts and blob deletes, against a
 * registry of one kind (real distribution, or the built-in registry). An image assembled piece by piece
 * is read back by skopeo with the digests we computed. Run by blob-session(.builtin).integration.test.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DestructiveOperationBlockedError,
  DigestMismatchError,
  DockerHubError,
  ValidationError,
} from '../../../src/core/errors.js';
import { parseReference } from '../../../src/reference/index.js';
import { RegistryClient } from '../../../src/registry/index.js';
import { type RegistryKind, type RunningRegistry, startRegistry } from '../../helpers/registry.js';
import { skopeoDigest, skopeoInspect } from '../../helpers/skopeo.js';

const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export function blobSessionSuite(kind: RegistryKind): void {
  describe(`[${kind} registry] upload sessions, mounts, blob deletes`, () => {
    let registry: RunningRegistry;
    let client: RegistryClient;
    let admin: RegistryClient;
    const sent: string[] = [];
    const repo = () => parseReference(`${registry.host}/acme/pieces`, { defaultTag: false });

    beforeAll(async () => {
      registry = await startRegistry({ auth: 'none', kind });
      client = new RegistryClient({ hooks: [{ onRequest: (r) => sent.push(`${r.method} ${r.url}`) }] });
      admin = new RegistryClient({ allowDestructive: true });
    });

    afterAll(async () => {
      await client?.close();
      await admin?.close();
      await registry?.stop();
    });

    async function uploadInPieces(bytes: Buffer, pieces: number) {
      const size = Math.ceil(bytes.length / pieces);
      let session = await client.uploads.startSession(repo());
      expect(session.offset).toBe(0);
      for (let at = 0; at < bytes.length - size; at += size) {
        session = await client.uploads.sendChunk(repo(), session.location, bytes.subarray(at, at + size), {
          offset: session.offset,
        });
        expect(session.offset).toBe(at + size);
      }
      const last = bytes.subarray(session.offset);
      return client.uploads.complete(repo(), session.location, sha256(bytes), { bytes: last });
    }

    it('assembles an image from chunked uploads that skopeo reads with our digests', async () => {
      const layer = randomBytes(300_000);
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          rootfs: { type: 'layers', diff_ids: [sha256(layer)] },
        }),
      );
      expect((await uploadInPieces(layer, 3)).digest).toBe(sha256(layer));
      expect((await uploadInPieces(config, 1)).digest).toBe(sha256(config));
      expect(await client.blobs.head(repo(), sha256(layer))).toEqual({ size: layer.length });
      expect((await client.blobs.getBytes(repo(), sha256(config))).equals(config)).toBe(true);

      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: sha256(config),
            size: config.length,
          },
          layers: [
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar',
              digest: sha256(layer),
              size: layer.length,
            },
          ],
        }),
      );
      const put = await client.manifests.put(
        `${registry.host}/acme/pieces:v1`,
        manifest,
        'application/vnd.oci.image.manifest.v1+json',
      );
      expect(put.digest).toBe(sha256(manifest));
      expect(await skopeoDigest(`docker://${registry.host}/acme/pieces:v1`)).toBe(sha256(manifest));
      const seen = (await skopeoInspect(`docker://${registry.host}/acme/pieces:v1`)) as { Layers: string[] };
      expect(seen.Layers).toEqual([sha256(layer)]);
    });

    it('reports where a session stands, and refuses a chunk that would not start there', async () => {
      const session = await client.uploads.startSession(repo());
      const after = await client.uploads.sendChunk(repo(), session.location, Buffer.from('hello world'));
      expect(after.offset).toBe(11);
      const status = await client.uploads.status(repo(), after.location);
      expect(status.offset).toBe(11);
      // Refused before sending: distribution 2.8 would append it whatever Content-Range says.
      const gap = client.uploads.sendChunk(repo(), after.location, Buffer.from('!'), { offset: 20 });
      await expect(gap).rejects.toThrow('the upload session stands at byte 11, not 20');
      const done = await client.uploads.complete(repo(), status.location, sha256(Buffer.from('hello world')));
      expect(done.digest).toBe(sha256(Buffer.from('hello world')));
    });

    it('refuses to complete under a digest that does not match what was sent', async () => {
      const session = await client.uploads.startSession(repo());
      const err = await client.uploads
        .complete(repo(), session.location, sha256(Buffer.from('other')), { bytes: Buffer.from('data') })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DockerHubError);
      expect((err as DockerHubError).status).toBe(400);
      expect(err).not.toBeInstanceOf(DigestMismatchError);
      expect(await client.blobs.exists(repo(), sha256(Buffer.from('data')))).toBe(false);
    });

    it('checks a session URL before sending anything to it', async () => {
      const session = await client.uploads.startSession(repo());
      const other = parseReference(`${registry.host}/acme/elsewhere`, { defaultTag: false });
      const id = new URL(session.location).pathname.split('/').pop();
      const bad = [
        'http://169.254.169.254/latest/meta-data',
        `http://127.0.0.1:1/v2/acme/pieces/blobs/uploads/${id}`,
        `http://user:pw@${registry.host}/v2/acme/pieces/blobs/uploads/${id}`,
        `http://${registry.host}/v2/acme/pieces/manifests/latest`,
        `http://${registry.host}/v2/acme/pieces/blobs/uploads/`,
        'not a url at all',
      ];
      sent.length = 0;
      for (const location of bad) {
        await expect(client.uploads.sendChunk(repo(), location, Buffer.from('x'))).rejects.toBeInstanceOf(
          ValidationError,
        );
      }
      await expect(client.uploads.status(other, session.location)).rejects.toThrow(
        /not an upload session of .*acme\/elsewhere/,
      );
      expect(sent).toEqual([]);
      // A relative location (as registries send them) is resolved against the registry.
      expect(client.uploads.sessionUrl(repo(), new URL(session.location).pathname)).toBe(
        `${registry.url}/v2/acme/pieces/blobs/uploads/${id}`,
      );
      await client.uploads.cancel(repo(), session.location);
    });

    it('mounts a blob from another repository, and says so when it cannot', async () => {
      const bytes = randomBytes(1000);
      await uploadInPieces(bytes, 2);
      const target = parseReference(`${registry.host}/acme/mounted`, { defaultTag: false });
      expect(await client.uploads.mount(target, sha256(bytes), 'acme/pieces')).toBe(true);
      expect(await client.blobs.head(target, sha256(bytes))).toEqual({ size: 1000 });
      const missing = sha256(Buffer.from('never uploaded'));
      expect(await client.uploads.mount(target, missing, 'acme/pieces')).toBe(false);
      await expect(client.uploads.mount(target, missing, 'acme/mounted')).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('deletes a blob only when destructive operations are allowed', async () => {
      const bytes = randomBytes(500);
      await uploadInPieces(bytes, 1);
      sent.length = 0;
      await expect(client.blobs.delete(repo(), sha256(bytes))).rejects.toBeInstanceOf(
        DestructiveOperationBlockedError,
      );
      expect(sent).toEqual([]);
      expect(await admin.blobs.delete(repo(), sha256(bytes))).toEqual({ digest: sha256(bytes) });
      expect(await client.blobs.exists(repo(), sha256(bytes))).toBe(false);
      await expect(admin.blobs.delete(repo(), sha256(bytes))).rejects.toMatchObject({ status: 404 });
    });
  });
}
