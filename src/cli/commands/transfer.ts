/**
 * Transfer commands: pull, push, copy, tag, delete. Each returns data and a text form; progress goes to
 * stderr through the renderer the program picks. Ctrl-C aborts through the signal, and the SDK then
 * removes temp files and open upload sessions.
 */
import { ValidationError } from '../../core/errors.js';
import { parseReference, withDigest } from '../../reference/index.js';
import {
  copyImage,
  type ProgressListener,
  pullImage,
  pushImage,
  type RegistryClient,
  tagImage,
} from '../../registry/index.js';
import { formatBytes, keyValues } from '../render.js';
import { integerFlag } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

export interface TransferFlags {
  platform?: string;
  concurrency?: string;
  referrers?: boolean;
}

const concurrency = (value: string | undefined) => integerFlag('--concurrency', value, 1, 64);

export async function pullCommand(
  client: RegistryClient,
  image: string,
  dir: string,
  flags: TransferFlags,
  ctx: { signal: AbortSignal; onProgress?: ProgressListener },
): Promise<CommandResult> {
  const ref = parseReference(image);
  const data = await pullImage(client, ref, dir, {
    platform: flags.platform,
    concurrency: concurrency(flags.concurrency),
    ...ctx,
  });
  return {
    data,
    text: () =>
      keyValues([
        ['Pulled', data.reference],
        ['Digest', data.digest],
        ['Layout', data.dir],
        ['Blobs', `${data.blobs} (${formatBytes(data.bytes)})`],
      ]),
  };
}

export async function pushCommand(
  client: RegistryClient,
  layout: string,
  image: string,
  flags: TransferFlags,
  ctx: { signal: AbortSignal; onProgress?: ProgressListener },
): Promise<CommandResult> {
  const ref = parseReference(image);
  const data = await pushImage(client, layout, ref, { concurrency: concurrency(flags.concurrency), ...ctx });
  return {
    data,
    text: () =>
      keyValues([
        ['Pushed', data.reference],
        ['Digest', data.digest],
        [
          'Blobs',
          `${data.blobs}: ${data.uploaded} uploaded, ${data.skipped} already there (${formatBytes(data.bytes)})`,
        ],
      ]),
  };
}

export async function copyCommand(
  client: RegistryClient,
  source: string,
  destination: string,
  flags: TransferFlags,
  ctx: { signal: AbortSignal; onProgress?: ProgressListener },
): Promise<CommandResult> {
  const src = parseReference(source);
  const dst = parseReference(destination);
  const data = await copyImage(client, src, dst, {
    platform: flags.platform,
    concurrency: concurrency(flags.concurrency),
    referrers: flags.referrers,
    ...ctx,
  });
  return {
    data,
    text: () =>
      keyValues([
        ['Copied', `${data.source} → ${data.destination}`],
        ['Digest', data.digest],
        ['Blobs', `${data.blobs}: ${data.uploaded} transferred, ${data.skipped} mounted or already there`],
        ['Referrers', flags.referrers ? data.referrers : undefined],
      ]),
  };
}

export async function tagCommand(
  client: RegistryClient,
  image: string,
  newTag: string,
): Promise<CommandResult> {
  const data = await tagImage(client, parseReference(image), newTag);
  return { data, text: () => `${data.reference} → ${data.digest}\n` };
}

export async function deleteCommand(
  client: RegistryClient,
  image: string,
  confirm: (question: string) => Promise<boolean>,
  force: boolean,
): Promise<CommandResult> {
  const ref = parseReference(image);
  const digest = await client.manifests.resolve(ref);
  if (!force && !(await confirm(`Delete ${ref} (${digest}) and every tag pointing at it? [y/N] `))) {
    throw new ValidationError('not deleted');
  }
  await client.manifests.delete(withDigest(ref, digest));
  const data = { reference: ref.toString(), digest, deleted: true };
  return { data, text: () => `deleted ${ref} (${digest})\n` };
}
