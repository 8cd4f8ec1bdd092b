/**
 * Manifests: GET/HEAD by tag or digest for every media type we know (OCI manifest and index, Docker v2
 * manifest and manifest list, artifacts). Every body is verified against the digest we asked for, or the
 * `Docker-Content-Digest` the registry reported, before it is returned.
 */
import { APIPromise } from '../core/api-promise.js';
import { DigestMismatchError, DockerHubError, NotFoundError, ValidationError } from '../core/errors.js';
import { instrument } from '../core/telemetry.js';
import { responseInfo } from '../core/transport.js';
import { type ImageReference, manifestIdentifier, withDigest } from '../reference/index.js';
import type { RegistryClient } from './client.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { imageIndexSchema, imageManifestSchema, type Manifest } from './types.js';
import { algorithmOf, digestOf } from './verify.js';

export interface ManifestResult {
  /** Verified digest of `bytes`. */
  digest: string;
  mediaType: string;
  size: number;
  /** The exact bytes the registry served (their digest is the manifest's identity). */
  bytes: Buffer;
  manifest: Manifest;
  /** The reference with its digest pinned. */
  reference: ImageReference;
}

export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

export interface ManifestGetOptions {
  accept?: string;
  signal?: AbortSignal;
}

export class Manifests {
  constructor(private readonly client: RegistryClient) {}

  get(input: string | ImageReference, opts: ManifestGetOptions = {}): APIPromise<ManifestResult> {
    const ref = this.client.ref(input);
    return APIPromise.from(() =>
      instrument('docker.manifest.get', { image: ref.toString() }, async (span) => {
        const res = await this.client.fetch({
          repo: ref,
          method: 'GET',
          path: `manifests/${encodeURIComponent(manifestIdentifier(ref))}`,
          headers: { accept: opts.accept ?? MANIFEST_ACCEPT },
          signal: opts.signal,
        });
        const bytes = await readLimited(res.body, this.client.maxManifestBytes, 'manifest');
        const expected = ref.digest ?? res.headers['docker-content-digest'];
        let digest: string;
        if (expected) {
          digest = digestOf(bytes, algorithmOf(expected));
          if (digest !== expected) throw new DigestMismatchError(expected, digest, `manifest ${ref}`);
        } else {
          digest = digestOf(bytes);
        }
        const manifest = parseManifest(bytes, ref.toString());
        const mediaType =
          manifest.mediaType ?? res.headers['content-type']?.split(';')[0]?.trim() ?? 'application/json';
        span.setAttributes({ digest, size: bytes.length, 'media.type': mediaType });
        return {
          data: {
            digest,
            mediaType,
            size: bytes.length,
            bytes,
            manifest,
            reference: withDigest(ref, digest),
          },
          response: responseInfo(res),
        };
      }),
    );
  }

  /** HEAD: digest, media type and size without downloading (does not count as a Docker Hub pull). */
  head(input: string | ImageReference, opts: ManifestGetOptions = {}): APIPromise<ManifestHead> {
    const ref = this.client.ref(input);
    return APIPromise.from(() =>
      instrument('docker.manifest.head', { image: ref.toString() }, async () => {
        const res = await this.client.fetch({
          repo: ref,
          method: 'HEAD',
          path: `manifests/${encodeURIComponent(manifestIdentifier(ref))}`,
          headers: { accept: opts.accept ?? MANIFEST_ACCEPT },
          signal: opts.signal,
        });
        await res.body.dump();
        const headerDigest = res.headers['docker-content-digest'];
        if (ref.digest && headerDigest && headerDigest !== ref.digest) {
          throw new DigestMismatchError(ref.digest, headerDigest, `manifest ${ref}`);
        }
        const digest = ref.digest ?? headerDigest;
        const mediaType = res.headers['content-type']?.split(';')[0]?.trim() ?? '';
        const size = Number(res.headers['content-length'] ?? Number.NaN);
        if (!digest || !mediaType || !Number.isFinite(size)) {
          // Some registries omit Docker-Content-Digest on HEAD; a GET gives the same facts, verified.
          const full = await this.get(ref, opts);
          return {
            data: { digest: full.digest, mediaType: full.mediaType, size: full.size },
            response: responseInfo(res),
          };
        }
        return { data: { digest, mediaType, size }, response: responseInfo(res) };
      }),
    );
  }

  /** The digest a tag points at (HEAD first). */
  async resolve(input: string | ImageReference, signal?: AbortSignal): Promise<string> {
    const ref = this.client.ref(input);
    if (ref.digest) return ref.digest;
    return (await this.head(ref, { signal })).digest;
  }

  /**
   * Puts manifest bytes under a tag or digest. The registry answers with the digest it computed, which
   * must be ours: the bytes are the manifest's identity.
   */
  put(
    input: string | ImageReference,
    bytes: Uint8Array,
    mediaType: string,
    opts: { signal?: AbortSignal } = {},
  ): APIPromise<{ digest: string; reference: ImageReference }> {
    const ref = this.client.ref(input);
    return APIPromise.from(() =>
      instrument('docker.manifest.put', { image: ref.toString(), size: bytes.length }, async () => {
        const digest = digestOf(bytes, ref.digest ? algorithmOf(ref.digest) : 'sha256');
        if (ref.digest && ref.digest !== digest)
          throw new DigestMismatchError(ref.digest, digest, `manifest ${ref}`);
        const res = await this.client.fetch({
          repo: ref,
          method: 'PUT',
          path: `manifests/${encodeURIComponent(manifestIdentifier(ref))}`,
          headers: { 'content-type': mediaType },
          body: Buffer.from(bytes),
          actions: ['pull', 'push'],
          signal: opts.signal,
        });
        await res.body.dump();
        const reported = res.headers['docker-content-digest'];
        if (reported && reported !== digest)
          throw new DigestMismatchError(digest, reported, `manifest put ${ref}`);
        return { data: { digest, reference: withDigest(ref, digest) }, response: responseInfo(res) };
      }),
    );
  }

  /** Deletes a manifest by digest (a tag is resolved to its digest first, as registries require). */
  async delete(
    input: string | ImageReference,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ digest: string }> {
    const ref = this.client.ref(input);
    this.client.assertDestructiveAllowed(`deleting ${ref}`);
    return instrument('docker.manifest.delete', { image: ref.toString() }, async () => {
      const digest = await this.resolve(ref, opts.signal);
      const res = await this.client.fetch({
        repo: ref,
        method: 'DELETE',
        path: `manifests/${digest}`,
        actions: ['pull', 'push', 'delete'],
        signal: opts.signal,
      });
      await res.body.dump();
      return { digest };
    });
  }

  /** True when the manifest exists; false on 404. */
  async exists(input: string | ImageReference, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.head(input, { signal });
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }
}

export function parseManifest(bytes: Uint8Array, what: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ValidationError(`manifest of ${what} is not valid JSON`);
  }
  const asIndex = imageIndexSchema.safeParse(json);
  if (asIndex.success) return asIndex.data;
  const asManifest = imageManifestSchema.safeParse(json);
  if (asManifest.success) return asManifest.data;
  const schemaVersion = (json as { schemaVersion?: unknown })?.schemaVersion;
  if (schemaVersion === 1) {
    throw new ValidationError(
      `manifest of ${what} is Docker schema 1, which is deprecated and not supported`,
    );
  }
  throw new ValidationError(
    `manifest of ${what} is neither an image manifest nor an index: ${asManifest.error.issues[0]?.message ?? 'invalid'}`,
  );
}

/** Reads a response body up to `limit` bytes; more is an error (a manifest is small by nature). */
export async function readLimited(
  body: AsyncIterable<unknown>,
  limit: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      throw new DockerHubError(`${what} is larger than ${limit} bytes; refusing to read it into memory`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}
