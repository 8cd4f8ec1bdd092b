/**
 * Downloads one blob to a file: streamed to a temp name beside the target, hashed as it is written,
 * resumed with `Range` after a dropped connection, and renamed into place only when size and digest
 * match. A mismatch deletes the temp file and raises DigestMismatchError.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

export async function downloadBlob(
  client: RegistryClient,
  repo: Pick<ImageReference, 'registry' | 'repository'>,
  blob: { digest: string; size: number },
  target: string,
  opts: DownloadOptions = {},
): Promise<void> {
  const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.partial`);
  const file = await open(temp, 'wx');
  const algorithm = algorithmOf(blob.digest);
  let hash = createHash(algorithm);
  let written = 0;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await client.blobs.open(repo, blob.digest, { offset: written, signal: opts.signal });
        if (written > 0 && !res.resumed) {
          // The server ignored Range: start over.
          await file.truncate(0);
          hash = createHash(algorithm);
          written = 0;
        }
        for await (const chunk of res.stream) {
          const buf = chunk as Buffer;
          if (written + buf.length > blob.size) {
            throw new DigestMismatchError(blob.digest, `more than ${blob.size} bytes`, `blob ${blob.digest}`);
          }
          await file.write(buf, 0, buf.length, written);
          hash.update(buf);
          written += buf.length;
          recordBytes('download', buf.length);
          opts.onProgress?.(written);
        }
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
    await file.close();
    await rename(temp, target);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}
