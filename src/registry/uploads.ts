/**
 * Blob uploads (OCI distribution "pushing blobs"): existence check, cross-repository mount, monolithic
 * PUT for small blobs, one streamed PATCH + closing PUT for large ones, resume from the offset the
 * registry reports after a failure (else a clean restart), and cancellation that deletes the open
 * upload session. The source is a function that opens a stream at an offset, so a retry or resume can
 * re-read from disk or re-request the source registry with `Range`, never from memory.
 *
 * Beside `upload`, a session API for callers that send one blob in pieces across separate calls (the
 * MCP server's upload actions): `startSession`, `sendChunk`, `status`, `complete`, `cancel`, and
 * `mount`. The session URL travels through the caller, so `sessionUrl` checks that a URL handed back
 * belongs to the registry and repository it claims to before anything is sent to it.
 */
import type { Readable } from 'node:stream';
import { AbortError, DigestMismatchError, DockerHubError, ValidationError } from '../core/errors.js';
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

/** An open upload session, for a blob sent in pieces across calls. */
export interface UploadSession {
  /** The session URL the registry gave last (it may change with every chunk): pass it back. */
  location: string;
  /** The next byte the registry expects: where the next chunk starts. */
  offset: number;
  /** The smallest chunk the registry accepts, except the last (`OCI-Chunk-Min-Length`). */
  minChunkSize?: number;
}

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
    digest: string | undefined,
    opts: UploadOptions,
  ): Promise<{ location: string; minChunk?: number } | null> {
    const mount = opts.mountFrom && opts.mountFrom !== repo.repository;
    const aborted = () => new AbortError(`upload to ${repo.repository} cancelled`);
    if (opts.signal?.aborted) throw aborted();
    // The POST is not aborted mid-request: the registry may open a session we would never hear of, and
    // could not cancel. It is short; an abort is honoured as soon as it answers, and the session closed.
    const res = await this.client.fetch({
      repo,
      method: 'POST',
      path: 'blobs/uploads/',
      query: mount ? { mount: digest, from: opts.mountFrom } : undefined,
      actions: ['pull', 'push'],
      extraScopes: mount ? [repositoryScope(opts.mountFrom as string, ['pull'])] : undefined,
      headers: { 'content-length': '0' },
      idempotent: true,
    });
    await res.body.dump();
    if (res.status === 201) return null;
    const location = res.headers.location;
    if (!location)
      throw new DockerHubError(`registry did not return an upload location for ${repo.repository}`);
    const minChunk = Number(res.headers['oci-chunk-min-length']);
    const session = {
      location: this.#absolute(repo, location),
      minChunk: Number.isFinite(minChunk) ? minChunk : undefined,
    };
    if (opts.signal?.aborted) {
      await this.cancel(repo, session.location);
      throw aborted();
    }
    return session;
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

  /**
   * The absolute form of an upload session URL, checked: on the registry's own origin, below
   * `/v2/<repository>/blobs/uploads/`, without credentials. A URL from anywhere else (or for another
   * repository) is a ValidationError, so a URL handed back by a caller can never make us call elsewhere.
   */
  sessionUrl(repo: RepoRef, location: string): string {
    const base = this.client.baseUrl(repo.registry);
    let url: URL;
    try {
      url = new URL(location, base);
    } catch {
      throw new ValidationError('the upload location is not a URL');
    }
    const prefix = new URL(this.client.repoUrl(repo, 'blobs/uploads/')).pathname;
    const id = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (
      url.origin !== new URL(base).origin ||
      url.username ||
      url.password ||
      !/^[A-Za-z0-9._~%-]+$/.test(id)
    ) {
      throw new ValidationError(
        `the upload location is not an upload session of ${repo.registry}/${repo.repository}; use the location start_upload or the last chunk returned`,
      );
    }
    return url.toString();
  }

  /** Opens an upload session for one blob (no mount, nothing sent yet). */
  async startSession(repo: RepoRef, opts: { signal?: AbortSignal } = {}): Promise<UploadSession> {
    const attrs = { repository: `${repo.registry}/${repo.repository}` };
    return instrument('docker.blob.upload.start', attrs, async () => {
      const session = await this.#start(repo, undefined, { signal: opts.signal });
      if (session === null) throw new DockerHubError('the registry answered a new upload as if mounted');
      return { location: session.location, offset: 0, minChunkSize: session.minChunk };
    });
  }

  /**
   * Mounts a blob from another repository of the same registry. False when the registry would not
   * (it lacks the blob there, or the caller may not read it): the upload session it opened instead is
   * cancelled, so nothing is left open.
   */
  async mount(
    repo: RepoRef,
    digest: string,
    from: string,
    opts: { signal?: AbortSignal } = {},
  ): Promise<boolean> {
    assertDigest(digest);
    if (from === repo.repository) throw new ValidationError('a blob mounts from another repository');
    const attrs = { repository: `${repo.registry}/${repo.repository}`, digest, from };
    return instrument('docker.blob.mount', attrs, async (span) => {
      const session = await this.#start(repo, digest, { mountFrom: from, signal: opts.signal });
      span.setAttributes({ outcome: session === null ? 'mounted' : 'not-mounted' });
      if (session === null) return true;
      await this.cancel(repo, session.location);
      return false;
    });
  }

  /** Where a session stands: the next byte the registry expects (0 when it cannot say). */
  async status(repo: RepoRef, location: string, signal?: AbortSignal): Promise<UploadSession> {
    const url = this.sessionUrl(repo, location);
    const res = await this.client.fetch({
      repo,
      method: 'GET',
      path: url,
      actions: ['pull', 'push'],
      signal,
    });
    await res.body.dump();
    return {
      location: res.headers.location ? this.#absolute(repo, res.headers.location) : url,
      offset: nextByte(res.headers.range) ?? 0,
    };
  }

  /**
   * Appends one chunk where the session stands. With `offset` (where the caller believes it stands), a
   * chunk that would not start there is refused before it is sent: some registries (distribution 2.8)
   * ignore `Content-Range` and would append it anyway.
   */
  async sendChunk(
    repo: RepoRef,
    location: string,
    bytes: Uint8Array,
    opts: { offset?: number; signal?: AbortSignal } = {},
  ): Promise<UploadSession> {
    if (bytes.length === 0) throw new ValidationError('an upload chunk cannot be empty');
    const url = this.sessionUrl(repo, location);
    const attrs = { repository: `${repo.registry}/${repo.repository}`, size: bytes.length };
    return instrument('docker.blob.upload.chunk', attrs, async () => {
      const status = await this.status(repo, url, opts.signal);
      // A status of "0-0" means 0 or 1 byte (distribution reports it for an empty session too).
      const possible = status.offset === 0 ? [0, 1] : [status.offset];
      if (opts.offset !== undefined && !possible.includes(opts.offset))
        throw new ValidationError(
          `the upload session stands at byte ${status.offset}, not ${opts.offset}: send the chunk that starts there`,
        );
      const offset = opts.offset ?? status.offset;
      const end = offset + bytes.length;
      const res = await this.client.fetch({
        repo,
        method: 'PATCH',
        path: url,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.length),
          'content-range': `${offset}-${end - 1}`,
        },
        body: Buffer.from(bytes),
        actions: ['pull', 'push'],
        signal: opts.signal,
      });
      await res.body.dump();
      recordBytes('upload', bytes.length);
      const reported = nextByte(res.headers.range);
      if (reported !== undefined && reported !== end)
        throw new DockerHubError(
          `the registry holds ${reported} bytes of the upload after a chunk ending at ${end}: cancel the session and start again`,
        );
      return {
        location: res.headers.location ? this.#absolute(repo, res.headers.location) : status.location,
        offset: end,
      };
    });
  }

  /**
   * Closes a session: the blob is stored under `digest`, which the registry checks against what it
   * received (with `bytes` as the last chunk, when given).
   */
  async complete(
    repo: RepoRef,
    location: string,
    digest: string,
    opts: { bytes?: Uint8Array; signal?: AbortSignal } = {},
  ): Promise<{ digest: string }> {
    assertDigest(digest);
    const url = this.sessionUrl(repo, location);
    const attrs = { repository: `${repo.registry}/${repo.repository}`, digest };
    return instrument('docker.blob.upload.complete', attrs, async () => {
      const body = opts.bytes?.length ? Buffer.from(opts.bytes) : undefined;
      const res = await this.client.fetch({
        repo,
        method: 'PUT',
        path: url,
        query: { digest },
        headers: {
          'content-length': String(body?.length ?? 0),
          ...(body ? { 'content-type': 'application/octet-stream' } : {}),
        },
        body,
        actions: ['pull', 'push'],
        signal: opts.signal,
      });
      await res.body.dump();
      if (body) recordBytes('upload', body.length);
      const stored = res.headers['docker-content-digest'];
      if (stored && stored !== digest) throw new DigestMismatchError(digest, stored, 'uploaded blob');
      return { digest };
    });
  }

  /** Deletes an open upload session; best effort (used on cancel and before a restart). */
  async cancel(repo: RepoRef, location: string): Promise<void> {
    try {
      const res = await this.client.fetch({
        repo,
        method: 'DELETE',
        path: location,
        // distribution asks for `delete` on every DELETE, an upload's too; token services grant what they may.
        actions: ['pull', 'push', 'delete'],
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

/** The next byte a `Range: 0-<last>` status header implies; undefined when absent or ambiguous ("0-0"). */
function nextByte(range: string | undefined): number | undefined {
  const m = /^(?:bytes=)?0-(\d+)$/.exec(range ?? '');
  if (!m || m[1] === '0') return undefined;
  return Number(m[1]) + 1;
}

/** undici accepts async iterables as bodies; this keeps the type honest. */
function streamOf(iterable: AsyncIterable<Buffer>): Readable {
  return iterable as unknown as Readable;
}
