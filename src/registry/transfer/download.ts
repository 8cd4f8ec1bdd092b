/**
 * Downloads one blob to a file: streamed to a temp name beside the target through a hashing stage
 * (network reads and disk writes overlap), resumed with `Range` after a dropped connection, and
 * renamed into place only when size and digest match. A mismatch deletes the temp file and raises
 * DigestMismatchError.
 */
import { createHash, type Hash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DigestMismatchError, DockerHubError } from '../../core/errors.js';
import { recordBytes } from '../../core/telemetry.js';
import { mapTransportError } from '../../core/transport.js';
import type { ImageReference } from '../../reference/index.js';
import type { RegistryClient } from '../client.js';
import { algorithmOf } from '../verify.js';

export interface DownloadOptions {
  signal?: AbortSignal;
  attempts?: number;
  onProgress?: (bytes: number) => void;
}

/** Hash of the first `length` bytes already on disk, to continue a resumed download. */
async function hashPrefix(path: string, algorithm: string, length: number): Promise<Hash> {
  const hash = createHash(algorithm);
  if (length > 0) {
    for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
    }
  }
  return hash;
}

export async function downloadBlob(
  client: RegistryClient,
  repo: Pick<ImageReference, 'registry' | 'repository'>,
  blob: { digest: string; size: number },
  target: string,
  opts: DownloadOptions = {},
): Promise<void> {
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.partial`);
  const algorithm = algorithmOf(blob.digest);
  let hash = createHash(algorithm);
  let written = 0;
  await writeFile(temp, '', { flag: 'wx' });
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await client.blobs.open(repo, blob.digest, { offset: written, signal: opts.signal });
        if (written > 0 && !res.resumed) {
          // The server ignored Range: start over.
          await truncate(temp, 0);
          hash = createHash(algorithm);
          written = 0;
        }
        let seen = written;
        const current = hash;
        const hashing = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            seen += chunk.length;
            if (seen > blob.size) {
              cb(new DigestMismatchError(blob.digest, `more than ${blob.size} bytes`, `blob ${blob.digest}`));
              return;
            }
            current.update(chunk);
            recordBytes('download', chunk.length);
            opts.onProgress?.(seen);
            cb(null, chunk);
          },
        });
        await pipeline(
          res.stream,
          hashing,
          createWriteStream(temp, { flags: 'r+', start: written, highWaterMark: 8 << 20 }),
          { signal: opts.signal },
        );
        written = seen;
        break;
      } catch (err) {
        const mapped = mapTransportError(err, {
          method: 'GET',
          url: `${repo.registry}/${repo.repository}@${blob.digest}`,
          signal: opts.signal,
        });
        const retryable =
          mapped instanceof DockerHubError && mapped.retryable && !(mapped instanceof DigestMismatchError);
        if (!retryable || attempt >= (opts.attempts ?? 4) || opts.signal?.aborted) throw mapped;
        // Resume from what actually reached the disk; the hash is rebuilt from it.
        written = Math.min((await stat(temp)).size, blob.size);
        hash = await hashPrefix(temp, algorithm, written);
      }
    }
    const actual = `${algorithm}:${hash.digest('hex')}`;
    if (written !== blob.size || actual !== blob.digest) {
      throw new DigestMismatchError(
        blob.digest,
        `${actual} (${written} of ${blob.size} bytes)`,
        `blob ${blob.digest}`,
      );
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
