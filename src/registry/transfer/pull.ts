/**
 * Pull to an OCI image layout. The layout is built in a temp directory beside the target (manifests
 * written verified, blobs downloaded concurrently and verified) and renamed into place last, so an
 * interrupted or failed pull leaves no half-written layout.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { instrument, recordTransfer } from '../../core/telemetry.js';
import type { ImageReference } from '../../reference/index.js';
import type { RegistryClient } from '../client.js';
import { downloadBlob } from './download.js';
import { DEFAULT_CONCURRENCY, type TransferOptions } from './events.js';
import { blobPath, initLayout, REF_NAME, writeIndex } from './layout.js';
import { runEach } from './limit.js';
import { planFromRegistry } from './plan.js';

export interface PullResult {
  reference: string;
  digest: string;
  mediaType: string;
  dir: string;
  manifests: number;
  blobs: number;
  bytes: number;
}

async function assertFreeTarget(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0)
      throw new ValidationError(`${dir} exists and is not empty; pull into a new directory`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export async function pullImage(
  client: RegistryClient,
  input: string | ImageReference,
  dir: string,
  opts: TransferOptions = {},
): Promise<PullResult> {
  const ref = client.ref(input);
  const target = resolve(dir);
  await assertFreeTarget(target);
  return instrument('docker.image.pull', { image: ref.toString() }, async (span) => {
    const plan = await planFromRegistry(client, ref, opts);
    const bytes = plan.blobs.reduce((n, b) => n + b.size, 0);
    opts.onProgress?.({ type: 'plan', blobs: plan.blobs.length, bytes });
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
    try {
      await initLayout(temp);
      for (const m of [...plan.children, plan.top]) await writeFile(blobPath(temp, m.digest), m.bytes);
      await runEach(plan.blobs, opts.concurrency ?? DEFAULT_CONCURRENCY, opts.signal, async (b, signal) => {
        opts.onProgress?.({ type: 'blob-start', digest: b.digest, size: b.size });
        await downloadBlob(client, ref, b, blobPath(temp, b.digest), {
          signal,
          onProgress: (n) =>
            opts.onProgress?.({ type: 'blob-progress', digest: b.digest, size: b.size, bytes: n }),
        });
        opts.onProgress?.({ type: 'blob-done', digest: b.digest, size: b.size, outcome: 'downloaded' });
      });
      const annotations = ref.tag ? { [REF_NAME]: ref.tag } : undefined;
      await writeIndex(temp, [
        { mediaType: plan.top.mediaType, digest: plan.top.digest, size: plan.top.size, annotations },
      ]);
      await rmdir(target).catch(() => undefined);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { recursive: true, force: true });
      throw err;
    }
    recordTransfer('pull');
    span.setAttributes({ digest: plan.top.digest, count: plan.blobs.length, size: bytes });
    opts.onProgress?.({ type: 'done', digest: plan.top.digest, reference: ref.toString() });
    return {
      reference: ref.toString(),
      digest: plan.top.digest,
      mediaType: plan.top.mediaType,
      dir: target,
      manifests: plan.children.length + 1,
      blobs: plan.blobs.length,
      bytes,
    };
  });
}
