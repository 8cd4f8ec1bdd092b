/**
 * Blob upload sessions: POST opens one, PATCH appends (in order, checked against `Content-Range`), PUT
 * closes it with the digest of the whole blob, which is verified before the blob becomes visible. The
 * sha256 of the bytes is computed while they stream in, so closing costs nothing more; a sha512 digest is
 * checked by re-reading the upload. Operations on one session run one at a time.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { algorithmOf } from '../../registry/verify.js';
import type { ByteRange } from './content-store.js';
import { digestInvalid, RegistryError, uploadUnknown } from './errors.js';
import { KeyedLock } from './keyed-lock.js';
import type { RepositoryStore } from './repository-store.js';

export interface UploadSession {
  id: string;
  repository: string;
  /** Bytes received so far. */
  size: number;
  /** sha256 over those bytes. */
  hash: Hash;
  touchedAt: number;
}

/** What a chunk claims about itself: its `Content-Range` and `Content-Length`, when sent. */
export interface ChunkClaims {
  range?: ByteRange;
  length?: number;
}

/** Sessions idle this long are dropped when the next one opens. */
const IDLE_LIMIT_MS = 60 * 60_000;

export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #lock = new KeyedLock();

  constructor(private readonly store: RepositoryStore) {}

  get #area() {
    return this.store.content.uploads;
  }

  async start(repository: string): Promise<UploadSession> {
    this.#sweep();
    const session: UploadSession = {
      id: randomUUID(),
      repository,
      size: 0,
      hash: createHash('sha256'),
      touchedAt: Date.now(),
    };
    await this.#area.create(session.id);
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The open session `id` of `repository`, else BLOB_UPLOAD_UNKNOWN. */
  get(repository: string, id: string): UploadSession {
    const session = this.#sessions.get(id);
    if (!session || session.repository !== repository) throw uploadUnknown(id);
    return session;
  }

  /** Appends a chunk. A chunk that does not start where the upload stands is refused with 416. */
  append(session: UploadSession, body: AsyncIterable<Buffer>, claims: ChunkClaims = {}): Promise<void> {
    return this.#lock.run(session.id, () => this.#append(this.#live(session), body, claims));
  }

  async #append(session: UploadSession, body: AsyncIterable<Buffer>, claims: ChunkClaims): Promise<void> {
    session.touchedAt = Date.now();
    const { range, length } = claims;
    if (range) {
      const rangeLength = range.end - range.start + 1;
      if (
        range.start !== session.size ||
        rangeLength < 1 ||
        (length !== undefined && length !== rangeLength)
      ) {
        throw new RegistryError(
          416,
          'RANGE_INVALID',
          'invalid content range',
          { expectedStart: session.size, range: `${range.start}-${range.end}` },
          this.statusHeaders(session),
        );
      }
    }
    const expected = range ? range.end - range.start + 1 : length;
    const before = { size: session.size, hash: session.hash.copy() };
    await this.#area.append(session.id, body, (chunk) => {
      session.hash.update(chunk);
      session.size += chunk.length;
      session.touchedAt = Date.now();
    });
    if (expected !== undefined && session.size - before.size !== expected) {
      // The chunk was not what it claimed to be: undo it, so the upload stays consistent.
      await this.#area.truncate(session.id, before.size);
      session.size = before.size;
      session.hash = before.hash;
      throw new RegistryError(400, 'SIZE_INVALID', 'provided length did not match content length', {
        expected,
      });
    }
  }

  /**
   * Closes the session: appends the final chunk, if any, and verifies the whole blob against `digest`.
   * On a mismatch the session and its bytes are discarded (nothing is stored) and DIGEST_INVALID thrown.
   */
  finish(
    session: UploadSession,
    digest: string,
    body?: AsyncIterable<Buffer>,
    claims: ChunkClaims = {},
  ): Promise<number> {
    return this.#lock.run(session.id, async () => {
      this.#live(session);
      if (body) await this.#append(session, body, claims);
      const actual = await this.#digest(session, digest);
      if (actual !== digest) {
        await this.#discard(session);
        throw digestInvalid('provided digest did not match uploaded content', { expected: digest, actual });
      }
      this.#sessions.delete(session.id);
      try {
        await this.store.commitUpload(session.repository, session.id, digest);
      } catch (err) {
        await this.#area.discard(session.id).catch(() => undefined);
        throw err;
      }
      return session.size;
    });
  }

  async #digest(session: UploadSession, expected: string): Promise<string> {
    const algorithm = algorithmOf(expected);
    if (algorithm === 'sha256') return `sha256:${session.hash.digest('hex')}`;
    const hash = createHash(algorithm);
    for await (const chunk of await this.#area.open(session.id)) hash.update(chunk as Buffer);
    return `${algorithm}:${hash.digest('hex')}`;
  }

  cancel(session: UploadSession): Promise<void> {
    return this.#lock.run(session.id, () => this.#discard(session));
  }

  async #discard(session: UploadSession): Promise<void> {
    this.#sessions.delete(session.id);
    await this.#area.discard(session.id);
  }

  /** A session may have been closed while this request waited for the lock. */
  #live(session: UploadSession): UploadSession {
    if (this.#sessions.get(session.id) !== session) throw uploadUnknown(session.id);
    return session;
  }

  /** `Location` and `Range` for a session, as every upload response reports them. */
  statusHeaders(session: UploadSession): Record<string, string> {
    return {
      location: `/v2/${session.repository}/blobs/uploads/${session.id}`,
      range: `0-${Math.max(0, session.size - 1)}`,
      'docker-upload-uuid': session.id,
    };
  }

  /** Drops abandoned sessions in the background (a busy one is dropped once its request ends). */
  #sweep(): void {
    const cutoff = Date.now() - IDLE_LIMIT_MS;
    for (const session of this.#sessions.values()) {
      if (session.touchedAt < cutoff) this.cancel(session).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    for (const session of [...this.#sessions.values()]) await this.cancel(session);
  }
}
