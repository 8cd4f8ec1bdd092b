/**
 * Blobs: HEAD for existence and size, GET as a verifying stream (never buffered whole), and small JSON
 * blobs (image configs) read and verified in memory.
 */

import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '../core/errors.js';
import { instrument, recordBytes } from '../core/telemetry.js';
import type { ResponseInfo } from '../core/transport.js';
import { responseInfo } from '../core/transport.js';
import { assertDigest, type ImageReference } from '../reference/index.js';
import type { RegistryClient } from './client.js';
import { readLimited } from './manifests.js';
import { DigestVerifier, verifyBytes } from './verify.js';

type RepoRef = Pick<ImageReference, 'registry' | 'repository'>;

export interface BlobStream {
  /** Verified stream: it errors with DigestMismatchError instead of ending when the content is wrong. */
  stream: Readable;
  /** Content length the registry announced, when it did. */
  size?: number;
  response: ResponseInfo;
}

export interface BlobGetOptions {
  signal?: AbortSignal;
  /** Expected size (from the descriptor): a longer or shorter body is an error. */
  size?: number;
}

export class Blobs {
  constructor(private readonly client: RegistryClient) {}

  /** Size of a blob, or undefined when the repository does not have it. */
  async head(
    repo: string | RepoRef,
    digest: string,
    signal?: AbortSignal,
  ): Promise<{ size: number } | undefined> {
    const ref = typeof repo === 'string' ? this.client.ref(repo) : repo;
    const res = await this.client.fetch({
      repo: ref,
      method: 'HEAD',
      path: `blobs/${assertDigest(digest)}`,
      allowStatus: [404],
      signal,
    });
    await res.body.dump();
    if (res.status === 404) return undefined;
    return { size: Number(res.headers['content-length'] ?? 0) };
  }

  /** Streams a blob through a digest verifier. Redirects to storage are followed without our credentials. */
  async get(repo: string | RepoRef, digest: string, opts: BlobGetOptions = {}): Promise<BlobStream> {
    const ref = typeof repo === 'string' ? this.client.ref(repo) : repo;
    const attributes = { repository: `${ref.registry}/${ref.repository}`, digest, size: opts.size };
    const res = await instrument('docker.blob.get', attributes, () =>
      this.client.fetch({
        repo: ref,
        method: 'GET',
        path: `blobs/${assertDigest(digest)}`,
        signal: opts.signal,
      }),
    );
    const announced = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
    const verifier = new DigestVerifier(digest, { size: opts.size ?? announced });
    verifier.once('end', () => recordBytes('download', verifier.bytes));
    // pipeline() propagates errors both ways and destroys the socket if the consumer gives up.
    pipeline(res.body, verifier).catch(() => undefined);
    return { stream: verifier, size: announced, response: responseInfo(res) };
  }

  /**
   * Opens a blob's raw content from `offset` (with `Range`), unverified: for copies, where the
   * destination registry verifies the digest, and for resumable downloads that hash on their own.
   * `resumed` says whether the server honoured the range (206); if not, the stream starts at 0.
   */
  async open(
    repo: RepoRef,
    digest: string,
    opts: { offset?: number; signal?: AbortSignal } = {},
  ): Promise<{ stream: Readable; resumed: boolean; size?: number }> {
    const offset = opts.offset ?? 0;
    const res = await this.client.fetch({
      repo,
      method: 'GET',
      path: `blobs/${assertDigest(digest)}`,
      headers: offset > 0 ? { range: `bytes=${offset}-` } : undefined,
      signal: opts.signal,
    });
    const length = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
    return { stream: res.body, resumed: offset > 0 && res.status === 206, size: length };
  }

  /** Reads a small blob (an image config, an SBOM) into memory, verified. */
  async getBytes(
    repo: string | RepoRef,
    digest: string,
    opts: BlobGetOptions & { maxBytes?: number } = {},
  ): Promise<Buffer> {
    const ref = typeof repo === 'string' ? this.client.ref(repo) : repo;
    const res = await this.client.fetch({
      repo: ref,
      method: 'GET',
      path: `blobs/${assertDigest(digest)}`,
      signal: opts.signal,
    });
    const bytes = await readLimited(
      res.body,
      opts.maxBytes ?? this.client.maxManifestBytes,
      `blob ${digest}`,
    );
    verifyBytes(bytes, digest, `blob ${digest}`);
    return bytes;
  }

  async getJson<T = unknown>(repo: string | RepoRef, digest: string, opts: BlobGetOptions = {}): Promise<T> {
    const bytes = await this.getBytes(repo, digest, opts);
    return JSON.parse(bytes.toString('utf8')) as T;
  }

  /**
   * Deletes a blob from a repository (registries answer 405 where deletes are disabled). Manifests
   * that still name it break: delete those first.
   */
  async delete(
    repo: string | RepoRef,
    digest: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ digest: string }> {
    const ref = typeof repo === 'string' ? this.client.ref(repo) : repo;
    assertDigest(digest);
    const repository = `${ref.registry}/${ref.repository}`;
    this.client.assertDestructiveAllowed(`deleting blob ${digest} from ${repository}`);
    return instrument('docker.blob.delete', { repository, digest }, async () => {
      const res = await this.client.fetch({
        repo: ref,
        method: 'DELETE',
        path: `blobs/${digest}`,
        actions: ['pull', 'push', 'delete'],
        signal: opts.signal,
      });
      await res.body.dump();
      return { digest };
    });
  }

  async exists(repo: string | RepoRef, digest: string, signal?: AbortSignal): Promise<boolean> {
    try {
      return (await this.head(repo, digest, signal)) !== undefined;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }
}
