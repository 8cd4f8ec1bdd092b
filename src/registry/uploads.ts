/**
 * Blob uploads (OCI distribution "pushing blobs"): existence check, cross-repository mount, monolithic
 * PUT for small blobs, one streamed PATCH + closing PUT for large ones, resume from the offset the
 * registry reports after a failure (else a clean restart), and cancellation that deletes the open
 * upload session. The source is a function that opens a stream at an offset, so a retry or resume can
 * re-read from disk or re-request the source registry with `Range`, never from memory.
 */
import type { Readable } from 'node:stream';
import { AbortError, DockerHubError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { instrument, recordBytes } from '../core/telemetry.js';
import { assertDigest, type ImageReference } from '../reference/index.js';
import { repositoryScope } from './auth.js';
import type { RegistryClient } from './client.js';

type RepoRef = Pick<ImageReference, 'registry' | 'repository'>;

/** Opens the blob's content starting at `offset` (0 for a fresh upload). */
export type BlobSource = (offset: number, signal?: AbortSignal) => Promise<Readable>;

export interface UploadOptions {
  signal?: AbortSignal;
  /** Try a cross-repository mount from this repository on the same registry first. */
  mountFrom?: string;
  /** Blobs up to this size go as one monolithic PUT (default 16 MiB). */
  monolithicMaxBytes?: number;
  /** Attempts (resume or restart) after a retryable failure (default 3). */
  attempts?: number;
  /** Bytes sent so far, for progress bars. */
  onProgress?: (sent: number) => void;
}

export type UploadOutcome = 'exists' | 'mounted' | 'uploaded';

const DEFAULT_MONOLITHIC_MAX = 16 * 1024 * 1024;

/** Counts bytes as they leave, for progress and metrics, without buffering. */
async function* counted(source: Readable, onChunk: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onChunk((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

export class Uploads {
  constructor(private readonly client: RegistryClient) {}

  /** Starts an upload session (or mounts). Returns the session URL, or null when the blob was mounted. */
  async #start(
    repo: RepoRef,
    digest: string,
    opts: UploadOptions,
  ): Promise<{ location: string; minChunk?: number } | null> {
    const mount = opts.mountFrom && opts.mountFrom !== repo.repository;
    const res = await this.client.fetch({
      repo,
      method: 'POST',
      path: 'blobs/uploads/',
      query: mount ? { mount: digest, from: opts.mountFrom } : undefined,
      actions: ['pull', 'push'],
      extraScopes: mount ? [repositoryScope(opts.mountFrom as string, ['pull'])] : undefined,
      headers: { 'content-length': '0' },
      idempotent: true, // an abandoned session is harmless
      signal: opts.signal,
    });
    await res.body.dump();
    if (res.status === 201) return null;
    const location = res.headers.location;
    if (!location)
      throw new DockerHubError(`registry did not return an upload location for ${repo.repository}`);
    const minChunk = Number(res.headers['oci-chunk-min-length']);
    return {
      location: this.#absolute(repo, location),
      minChunk: Number.isFinite(minChunk) ? minChunk : undefined,
    };
  }

  #absolute(repo: RepoRef, location: string): string {
    return new URL(location, this.client.baseUrl(repo.registry)).toString();
  }

  /** Where an interrupted session stands: the next byte the registry expects, or undefined if unknown. */
  async #offset(repo: RepoRef, location: string, signal?: AbortSignal): Promise<number | undefined> {
    try {
      const res = await this.client.fetch({
        repo,
        method: 'GET',
        path: location,
        actions: ['pull', 'push'],
        signal,
      });
      await res.body.dump();
      const m = /^(?:bytes=)?0-(\d+)$/.exec(res.headers.range ?? '');
      // "0-0" is ambiguous (distribution reports it for an empty session too): treat it as nothing.
      if (res.status === 204 && m && m[1] !== '0') return Number(m[1]) + 1;
      if (res.status === 204 && !res.headers.range) return 0;
    } catch {
      // The session is gone or the registry cannot say: restart.
    }
    return undefined;
  }

  /** Deletes an open upload session; best effort (used on cancel and before a restart). */
  async cancel(repo: RepoRef, location: string): Promise<void> {
    try {
      const res = await this.client.fetch({
        repo,
        method: 'DELETE',
        path: location,
        actions: ['pull', 'push'],
        allowStatus: [404],
      });
      await res.body.dump();
    } catch (err) {
      getLogger().debug({ error: (err as Error).message }, 'could not cancel upload session');
    }
  }

  /**
   * Makes sure `repo` has the blob: skipped when it exists, mounted when `mountFrom` allows, else
   * uploaded from `source`. The registry verifies the digest on the closing PUT.
   */
  async upload(
    repo: RepoRef,
    digest: string,
    size: number,
    source: BlobSource,
    opts: UploadOptions = {},
  ): Promise<UploadOutcome> {
    assertDigest(digest);
    const attrs = { repository: `${repo.registry}/${repo.repository}`, digest, size };
    return instrument('docker.blob.upload', attrs, async (span) => {
      if (await this.client.blobs.exists(repo, digest, opts.signal)) {
        span.setAttributes({ outcome: 'exists' });
        return 'exists';
      }
      const outcome = await this.#uploadWithRetries(repo, digest, size, source, opts);
      span.setAttributes({ outcome });
      return outcome;
    });
  }

  async #uploadWithRetries(
    repo: RepoRef,
    digest: string,
    size: number,
    source: BlobSource,
    opts: UploadOptions,
  ): Promise<UploadOutcome> {
    const attempts = opts.attempts ?? 3;
    let session = await this.#start(repo, digest, opts);
    if (session === null) return 'mounted';
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#send(repo, session.location, digest, size, offset, source, opts);
        return 'uploaded';
      } catch (err) {
        const retryable = err instanceof DockerHubError && err.retryable && !(err instanceof AbortError);
        if (!retryable || attempt >= attempts || opts.signal?.aborted) {
          await this.cancel(repo, session.location);
          throw err;
        }
        const resumeAt = await this.#offset(repo, session.location, opts.signal);
        if (resumeAt !== undefined && resumeAt > 0 && resumeAt < size) {
          getLogger().debug({ digest, resumeAt }, 'resuming upload');
          offset = resumeAt;
        } else {
          await this.cancel(repo, session.location);
          const fresh = await this.#start(repo, digest, { ...opts, mountFrom: undefined });
          if (fresh === null) return 'mounted';
          session = fresh;
          offset = 0;
        }
      }
    }
  }

  async #send(
    repo: RepoRef,
    location: string,
    digest: string,
    size: number,
    offset: number,
    source: BlobSource,
    opts: UploadOptions,
  ): Promise<void> {
    let sent = offset;
    const stream = await source(offset, opts.signal);
    const body = counted(stream, (n) => {
      sent += n;
      recordBytes('upload', n);
      opts.onProgress?.(sent);
    });
    const monolithic = offset === 0 && size <= (opts.monolithicMaxBytes ?? DEFAULT_MONOLITHIC_MAX);
    try {
      if (monolithic) {
        const res = await this.client.fetch({
          repo,
          method: 'PUT',
          path: location,
          query: { digest },
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
          body: streamOf(body),
          actions: ['pull', 'push'],
          signal: opts.signal,
        });
        await res.body.dump();
        return;
      }
      // Streamed upload: one PATCH with the rest of the blob, then an empty PUT with the digest.
      const patch = await this.client.fetch({
        repo,
        method: 'PATCH',
        path: location,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(size - offset),
          'content-range': `${offset}-${size - 1}`,
        },
        body: streamOf(body),
        actions: ['pull', 'push'],
        signal: opts.signal,
      });
      await patch.body.dump();
      const next = patch.headers.location ? this.#absolute(repo, patch.headers.location) : location;
      const put = await this.client.fetch({
        repo,
        method: 'PUT',
        path: next,
        query: { digest },
        headers: { 'content-length': '0' },
        actions: ['pull', 'push'],
        signal: opts.signal,
      });
      await put.body.dump();
    } finally {
      stream.destroy();
    }
  }
}

/** undici accepts async iterables as bodies; this keeps the type honest. */
function streamOf(iterable: AsyncIterable<Buffer>): Readable {
  return iterable as unknown as Readable;
}
