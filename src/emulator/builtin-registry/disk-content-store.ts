/**
 * Content on disk: `<root>/blobs/<alg>/<hex>` for blobs and manifests, `<root>/uploads/<id>` for open
 * upload sessions. Upload bodies are streamed to their file chunk by chunk, never held whole in memory;
 * committing renames the file into place (same filesystem, so the blob appears complete or not at all).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { isValidDigest } from '../../reference/digest.js';
import type { ByteRange, ContentStore, UploadArea } from './content-store.js';

const UPLOAD_ID = /^[a-f0-9-]{8,64}$/;
/** Larger reads than the 64 KiB default: fewer, bigger writes to the socket. */
const READ_CHUNK = 1 << 20;

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

export class DiskContentStore implements ContentStore {
  readonly #blobs: string;
  readonly #uploads: string;

  private constructor(root: string) {
    this.#blobs = join(root, 'blobs');
    this.#uploads = join(root, 'uploads');
  }

  /** Opens the store under `root`, discarding uploads a previous run left open. */
  static async open(root: string): Promise<DiskContentStore> {
    const store = new DiskContentStore(root);
    await rm(store.#uploads, { recursive: true, force: true });
    await mkdir(store.#uploads, { recursive: true });
    await mkdir(store.#blobs, { recursive: true });
    return store;
  }

  #blobPath(digest: string): string {
    if (!isValidDigest(digest)) throw new Error(`not a digest: ${digest}`);
    const [algorithm, hex] = digest.split(':') as [string, string];
    return join(this.#blobs, algorithm, hex);
  }

  #uploadPath(id: string): string {
    if (!UPLOAD_ID.test(id)) throw new Error(`not an upload id: ${id}`);
    return join(this.#uploads, id);
  }

  async size(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.#blobPath(digest))).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async open(digest: string, range?: ByteRange): Promise<Readable> {
    const path = this.#blobPath(digest);
    await stat(path); // a missing blob fails here, not later mid-response
    return createReadStream(path, {
      highWaterMark: READ_CHUNK,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  read(digest: string): Promise<Buffer> {
    return readFile(this.#blobPath(digest));
  }

  async put(digest: string, bytes: Buffer): Promise<void> {
    const path = this.#blobPath(digest);
    if ((await this.size(digest)) !== undefined) return;
    await mkdir(dirname(path), { recursive: true });
    // The temp file sits in the upload area, so a crash never leaves it among the blobs.
    const tmp = this.#uploadPath(randomBytes(12).toString('hex'));
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async delete(digest: string): Promise<void> {
    await rm(this.#blobPath(digest), { force: true });
  }

  readonly uploads: UploadArea = {
    create: async (id) => {
      await writeFile(this.#uploadPath(id), '');
    },
    append: async (id, body, onChunk) => {
      const file = await open(this.#uploadPath(id), 'a');
      try {
        for await (const chunk of body) {
          await file.write(chunk);
          onChunk(chunk);
        }
      } finally {
        await file.close();
      }
    },
    truncate: async (id, size) => {
      await truncate(this.#uploadPath(id), size);
    },
    open: async (id) => createReadStream(this.#uploadPath(id)),
    commit: async (id, digest) => {
      const path = this.#blobPath(digest);
      const upload = this.#uploadPath(id);
      if ((await this.size(digest)) !== undefined) {
        await rm(upload, { force: true }); // same digest, same bytes: keep the one we have
        return;
      }
      await mkdir(dirname(path), { recursive: true });
      await rename(upload, path);
    },
    discard: async (id) => {
      await rm(this.#uploadPath(id), { force: true });
    },
  };

  async close(): Promise<void> {
    await rm(this.#uploads, { recursive: true, force: true });
  }
}
