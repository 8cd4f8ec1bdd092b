/**
 * Where blob bytes live: content addressed by digest, plus an upload area where sessions grow until they
 * are committed under their verified digest. Manifests are stored here too (by their digest), as
 * distribution does. This file has the contract and the in-memory store; disk-content-store.ts the other.
 */
import { Readable } from 'node:stream';

/** Inclusive byte range, as HTTP `Range` and `Content-Range` count. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface UploadArea {
  create(id: string): Promise<void>;
  /**
   * Appends the body, calling `onChunk` with each chunk once it is stored. When the body fails midway,
   * the chunks stored so far stay (a client may resume after them) and the error is rethrown.
   */
  append(id: string, body: AsyncIterable<Buffer>, onChunk: (chunk: Buffer) => void): Promise<void>;
  /** Cuts the upload back to `size` bytes (undoing a rejected chunk). */
  truncate(id: string, size: number): Promise<void>;
  /** The bytes uploaded so far, e.g. to hash them with another algorithm. */
  open(id: string): Promise<Readable>;
  /** Moves the upload into the content store under `digest` (already verified by the caller). */
  commit(id: string, digest: string): Promise<void>;
  discard(id: string): Promise<void>;
}

export interface ContentStore {
  /** The size of stored content, or undefined when absent. */
  size(digest: string): Promise<number | undefined>;
  open(digest: string, range?: ByteRange): Promise<Readable>;
  read(digest: string): Promise<Buffer>;
  /** Stores small content (a manifest) whose digest the caller has verified. */
  put(digest: string, bytes: Buffer): Promise<void>;
  delete(digest: string): Promise<void>;
  readonly uploads: UploadArea;
  /** Drops every open upload (sessions do not outlive the server). */
  close(): Promise<void>;
}

function missing(what: string): Error {
  return Object.assign(new Error(`${what} not found`), { code: 'ENOENT' });
}

export class MemoryContentStore implements ContentStore {
  readonly #blobs = new Map<string, Buffer>();
  readonly #uploads = new Map<string, Buffer[]>();

  async size(digest: string): Promise<number | undefined> {
    return this.#blobs.get(digest)?.length;
  }

  async open(digest: string, range?: ByteRange): Promise<Readable> {
    const bytes = await this.read(digest);
    return Readable.from([range ? bytes.subarray(range.start, range.end + 1) : bytes]);
  }

  async read(digest: string): Promise<Buffer> {
    const bytes = this.#blobs.get(digest);
    if (!bytes) throw missing(digest);
    return bytes;
  }

  async put(digest: string, bytes: Buffer): Promise<void> {
    if (!this.#blobs.has(digest)) this.#blobs.set(digest, Buffer.from(bytes));
  }

  async delete(digest: string): Promise<void> {
    this.#blobs.delete(digest);
  }

  readonly uploads: UploadArea = {
    create: async (id) => {
      this.#uploads.set(id, []);
    },
    append: async (id, body, onChunk) => {
      const chunks = this.#chunks(id);
      for await (const chunk of body) {
        chunks.push(chunk);
        onChunk(chunk);
      }
    },
    truncate: async (id, size) => {
      const whole = Buffer.concat(this.#chunks(id));
      this.#uploads.set(id, [whole.subarray(0, size)]);
    },
    open: async (id) => Readable.from(this.#chunks(id)),
    commit: async (id, digest) => {
      const whole = Buffer.concat(this.#chunks(id));
      this.#uploads.delete(id);
      if (!this.#blobs.has(digest)) this.#blobs.set(digest, whole);
    },
    discard: async (id) => {
      this.#uploads.delete(id);
    },
  };

  #chunks(id: string): Buffer[] {
    const chunks = this.#uploads.get(id);
    if (!chunks) throw missing(`upload ${id}`);
    return chunks;
  }

  async close(): Promise<void> {
    this.#uploads.clear();
  }
}
