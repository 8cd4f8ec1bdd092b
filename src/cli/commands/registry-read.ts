/**
 * Registry read commands. Each returns data (printed as JSON with --json) and a text form for people.
 * None of them builds an HTTP request: everything goes through the SDK.
 */

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { replaceFile } from '../../core/atomic-file.js';
import { ValidationError } from '../../core/errors.js';
import { assertDigest, familiarName, parseReference } from '../../reference/index.js';
import {
  checkPullLimit,
  filterSemverTags,
  type InspectResult,
  imagePlatforms,
  inspectImage,
  type PullLimit,
  pinReference,
  type RegistryClient,
  resolveImageManifest,
  sortTags,
} from '../../registry/index.js';
import { formatBytes, keyValues, shortDigest, table } from '../render.js';

export interface CommandResult<T = unknown> {
  data: T;
  text: () => string;
  /** Set when the answer is also an exit status scripts test (`repo exists` → 1 for no). */
  exit?: ExitStatus;
}

/**
 * A non-zero exit that is an answer, not a failure: the output is printed as usual, then the CLI exits
 * with `code`. `reason`, when given, is printed on stderr like an error line (a JSON error with --json).
 */
export interface ExitStatus {
  code: number;
  reason?: { name: string; message: string };
}

export async function inspectCommand(
  client: RegistryClient,
  image: string,
  opts: { platform?: string },
): Promise<CommandResult<InspectResult>> {
  const data = await inspectImage(client, parseReference(image), { platform: opts.platform });
  return { data, text: () => inspectText(data) };
}

function inspectText(r: InspectResult): string {
  const head = keyValues([
    ['Name', r.reference],
    ['Digest', r.digest],
    ['Media type', r.mediaType],
    ['Manifests', r.isIndex ? r.manifests.length : undefined],
  ]);
  if (r.manifests.length === 1 && r.manifests[0]) {
    const m = r.manifests[0];
    const details = keyValues([
      ['Platform', m.platform],
      ['Created', m.config?.created],
      ['Layers', m.layers.length],
      ['Size', formatBytes(m.totalLayerSize)],
      ['Entrypoint', m.config?.entrypoint?.join(' ')],
      ['Cmd', m.config?.cmd?.join(' ')],
      ['User', m.config?.user],
      ['Workdir', m.config?.workingDir],
      ['Ports', m.config?.exposedPorts?.join(', ')],
    ]);
    const layers = table(
      ['LAYER', 'SIZE', 'MEDIA TYPE'],
      m.layers.map((l) => [l.digest, formatBytes(l.size), l.mediaType]),
    );
    return `${head}${details}\n${layers}`;
  }
  const rows = r.manifests.map((m) => [
    m.kind === 'image' ? (m.platform ?? '-') : `(${m.kind})`,
    shortDigest(m.digest),
    m.layers.length,
    formatBytes(m.totalLayerSize),
    m.config?.created,
  ]);
  return `${head}\n${table(['PLATFORM', 'DIGEST', 'LAYERS', 'SIZE', 'CREATED'], rows)}`;
}

export async function manifestCommand(
  client: RegistryClient,
  image: string,
  opts: { platform?: string },
): Promise<CommandResult> {
  const ref = parseReference(image);
  const result = opts.platform
    ? await resolveImageManifest(client, ref, { platform: opts.platform })
    : await client.manifests.get(ref);
  // The raw manifest is the interesting data; print the exact bytes the registry served.
  const data = JSON.parse(result.bytes.toString('utf8')) as unknown;
  return { data, text: () => `${JSON.stringify(data, null, 2)}\n` };
}

export async function configCommand(
  client: RegistryClient,
  image: string,
  opts: { platform?: string },
): Promise<CommandResult> {
  const ref = parseReference(image);
  const m = await resolveImageManifest(client, ref, { platform: opts.platform });
  const data = await client.blobs.getJson(ref, m.manifest.config.digest, { size: m.manifest.config.size });
  return { data, text: () => `${JSON.stringify(data, null, 2)}\n` };
}

export async function platformsCommand(
  client: RegistryClient,
  image: string,
): Promise<CommandResult<string[]>> {
  const data = await imagePlatforms(client, parseReference(image));
  return { data, text: () => (data.length ? `${data.join('\n')}\n` : '') };
}

export interface TagsOptions {
  limit?: string;
  pageSize?: string;
  last?: string;
  semver?: string;
  includePrerelease?: boolean;
  latest?: boolean;
  sort?: 'name' | 'semver' | 'registry';
}

export async function tagsCommand(
  client: RegistryClient,
  image: string,
  opts: TagsOptions,
): Promise<CommandResult<string[]>> {
  const ref = parseReference(image, { defaultTag: false });
  const limit = opts.limit === undefined ? Number.POSITIVE_INFINITY : positiveInt(opts.limit, '--limit');
  const pageSize = opts.pageSize === undefined ? undefined : positiveInt(opts.pageSize, '--page-size');
  const filtering = opts.semver !== undefined || opts.latest;
  const sorting = opts.sort !== undefined && opts.sort !== 'registry';
  // Filters and sorts need every tag; a plain listing stops as soon as it has `limit` of them.
  let tags = await client.tags
    .list(ref, { pageSize, last: opts.last })
    .toArray(filtering || sorting ? undefined : limit);
  if (filtering) {
    const versions = filterSemverTags(tags, opts.semver ?? '*', {
      includePrerelease: opts.includePrerelease,
    });
    tags = opts.latest ? versions.slice(-1) : versions;
  } else if (sorting) {
    tags = sortTags(tags, opts.sort as 'name' | 'semver');
  }
  const data = tags.slice(0, limit);
  return { data, text: () => (data.length ? `${data.join('\n')}\n` : '') };
}

export interface PinOptions {
  platform?: string;
  canonical?: boolean;
  keepTag?: boolean;
}

export async function pinCommand(
  client: RegistryClient,
  image: string,
  opts: PinOptions,
): Promise<CommandResult<{ reference: string; pinned: string; digest: string }>> {
  const ref = parseReference(image);
  const pinned = await pinReference(client, ref, { platform: opts.platform });
  const shown = opts.keepTag ? pinned : { ...pinned, tag: undefined };
  const name = opts.canonical
    ? `${pinned.registry}/${pinned.repository}${shown.tag ? `:${shown.tag}` : ''}@${pinned.digest}`
    : familiarName(shown as typeof pinned);
  const data = { reference: ref.toString(), pinned: name, digest: pinned.digest ?? '' };
  return { data, text: () => `${name}\n` };
}

export async function digestCommand(
  client: RegistryClient,
  image: string,
  opts: { platform?: string },
): Promise<CommandResult<{ reference: string; digest: string; mediaType: string }>> {
  const ref = parseReference(image);
  if (opts.platform) {
    const m = await resolveImageManifest(client, ref, { platform: opts.platform });
    const data = {
      reference: ref.toString(),
      digest: m.digest,
      mediaType: m.mediaType,
      platform: m.platform,
    };
    return { data, text: () => `${data.digest}\n` };
  }
  const head = await client.manifests.head(ref);
  const data = { reference: ref.toString(), digest: head.digest, mediaType: head.mediaType };
  return { data, text: () => `${data.digest}\n` };
}

export async function referrersCommand(
  client: RegistryClient,
  image: string,
  opts: { artifactType?: string },
): Promise<CommandResult> {
  const data = await client.referrers.list(parseReference(image), { artifactType: opts.artifactType });
  return {
    data,
    text: () =>
      data.referrers.length === 0
        ? `no referrers for ${data.subject}\n`
        : table(
            ['DIGEST', 'ARTIFACT TYPE', 'SIZE', 'MEDIA TYPE'],
            data.referrers.map((d) => [d.digest, d.artifactType, formatBytes(d.size), d.mediaType]),
          ),
  };
}

/**
 * Downloads a blob. To a file: written to a temp name beside it and renamed only once its digest is
 * verified. To stdout: only when stdout is not a terminal.
 */
export async function blobCommand(
  client: RegistryClient,
  image: string,
  digest: string,
  opts: { output?: string; stdoutIsTTY: boolean; write?: NodeJS.WritableStream },
): Promise<CommandResult<{ digest: string; size: number; path?: string }>> {
  const ref = parseReference(image, { defaultTag: false });
  assertDigest(digest);
  if (!opts.output && opts.stdoutIsTTY) {
    throw new ValidationError('refusing to write a blob to a terminal: use -o FILE or redirect stdout');
  }
  const size = (await client.blobs.head(ref, digest))?.size;
  const blob = await client.blobs.get(ref, digest, { size });
  if (!opts.output) {
    await pipeline(blob.stream, opts.write ?? process.stdout);
    const data = { digest, size: size ?? 0 };
    return { data, text: () => '' };
  }
  const target = opts.output;
  await mkdir(dirname(target) || '.', { recursive: true });
  await replaceFile(target, (temp) => pipeline(blob.stream, createWriteStream(temp, { flags: 'wx' })));
  const data = { digest, size: size ?? 0, path: target };
  return { data, text: () => `${target}: ${formatBytes(data.size)} ${digest} (verified)\n` };
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new ValidationError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export async function rateLimitCommand(
  client: RegistryClient,
  probe?: string,
): Promise<CommandResult<PullLimit>> {
  const data = await checkPullLimit(client, probe);
  const hours = data.windowSeconds ? `${Math.round(data.windowSeconds / 3600)} h` : undefined;
  return {
    data,
    text: () =>
      data.limited
        ? keyValues([
            ['Pulls left', data.remaining],
            ['Limit', data.limit === undefined ? undefined : `${data.limit}${hours ? ` per ${hours}` : ''}`],
            ['Counted for', data.source],
          ])
        : 'no pull limit reported\n',
  };
}
