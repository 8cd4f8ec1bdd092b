/**
 * `docker save` tarballs as a push source, read in place: one pass over the tar headers builds an index
 * of entries (name → offset, size), and blobs are then streamed straight out of the tar file. Both forms
 * are understood: Docker ≥ 25 writes an OCI image layout inside the tar; older Docker writes
 * `manifest.json` + config + uncompressed `layer.tar` files, which we push as an OCI image whose layer
 * digests are the config's `rootfs.diff_ids` (no re-hashing, no compression pass).
 * A tar reader is ~60 lines; no maintained dependency gives random access into an uncompressed tar.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ValidationError } from '../../core/errors.js';
import { parseManifest } from '../manifests.js';
import { MediaType } from '../media-types.js';
import { imageIndexSchema, isIndex } from '../types.js';
import { REF_NAME } from './layout.js';
import { blobsOf, type PlannedManifest, type TransferPlan } from './plan.js';

interface Entry {
  offset: number;
  size: number;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const text = field(block, start, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

/** Reads every header of an uncompressed tar (ustar, GNU long names, PAX paths). */
export async function indexTar(path: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(512);
    let pos = 0;
    let longName: string | undefined;
    for (;;) {
      const { bytesRead } = await file.read(header, 0, 512, pos);
      if (bytesRead < 512 || header.every((b) => b === 0)) break;
      if (field(header, 257, 6) !== 'ustar' && field(header, 257, 5) !== 'ustar') {
        throw new ValidationError(`${path} is not a tar archive (a docker save output is expected)`);
      }
      const size = octal(header, 124, 12);
      const type = String.fromCharCode(header[156] ?? 48);
      const dataStart = pos + 512;
      if (type === 'L' || type === 'x') {
        const data = Buffer.alloc(size);
        await file.read(data, 0, size, dataStart);
        if (type === 'L') longName = field(data, 0, size);
        else longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1] ?? longName;
      } else {
        const prefix = field(header, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
        longName = undefined;
        if (type === '0' || type === '\0' || type === '7')
          entries.set(name.replace(/^\.\//, ''), { offset: dataStart, size });
      }
      pos = dataStart + Math.ceil(size / 512) * 512;
    }
  } finally {
    await file.close();
  }
  return entries;
}

export class DockerArchive {
  private constructor(
    readonly path: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  static async open(path: string): Promise<DockerArchive> {
    return new DockerArchive(path, await indexTar(path));
  }

  #entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new ValidationError(`${this.path} has no ${name}`);
    return e;
  }

  async read(name: string): Promise<Buffer> {
    const e = this.#entry(name);
    const buf = Buffer.alloc(e.size);
    const file = await open(this.path, 'r');
    try {
      await file.read(buf, 0, e.size, e.offset);
    } finally {
      await file.close();
    }
    return buf;
  }

  stream(name: string, offset = 0): Readable {
    const e = this.#entry(name);
    return createReadStream(this.path, {
      start: e.offset + offset,
      end: e.offset + e.size - 1,
      highWaterMark: 64 * 1024,
    });
  }

  /** The push plan, plus how to open each blob by digest. `tag` picks an image when there are several. */
  async plan(
    tag?: string,
  ): Promise<{ plan: TransferPlan; open: (digest: string, offset: number) => Readable }> {
    return this.entries.has('index.json') && this.entries.has('oci-layout')
      ? this.#ociPlan(tag)
      : this.#legacyPlan(tag);
  }

  async #ociPlan(tag?: string) {
    const index = imageIndexSchema.parse(JSON.parse((await this.read('index.json')).toString('utf8')));
    const pick = tag
      ? index.manifests.find(
          (d) =>
            d.annotations?.[REF_NAME] === tag ||
            d.annotations?.['io.containerd.image.name']?.endsWith(`:${tag}`),
        )
      : index.manifests.length === 1
        ? index.manifests[0]
        : undefined;
    if (!pick)
      throw new ValidationError(
        `${this.path}: name one image with ${this.path}:TAG (it holds ${index.manifests.length})`,
      );
    const blobName = (d: string) => `blobs/${d.replace(':', '/')}`;
    const load = async (digest: string, mediaType: string, size: number): Promise<PlannedManifest> => {
      const bytes = await this.read(blobName(digest));
      return { digest, mediaType, size, bytes, manifest: parseManifest(bytes, `${this.path} ${digest}`) };
    };
    const top = await load(pick.digest, pick.mediaType, pick.size);
    const children = isIndex(top.manifest)
      ? await Promise.all(top.manifest.manifests.map((d) => load(d.digest, d.mediaType, d.size)))
      : [];
    const blobs = blobsOf(children.length ? children.map((c) => c.manifest) : [top.manifest]);
    return {
      plan: { top, children, blobs },
      open: (digest: string, offset: number) => this.stream(blobName(digest), offset),
    };
  }

  async #legacyPlan(tag?: string) {
    const list = JSON.parse((await this.read('manifest.json')).toString('utf8')) as Array<{
      Config: string;
      RepoTags?: string[] | null;
      Layers: string[];
    }>;
    const pick = tag
      ? list.find((m) => m.RepoTags?.some((t) => t === tag || t.endsWith(`:${tag}`)))
      : list.length === 1
        ? list[0]
        : undefined;
    if (!pick) {
      const tags = list.flatMap((m) => m.RepoTags ?? []);
      throw new ValidationError(
        `${this.path}: name one image with ${this.path}:TAG; it has ${tags.join(', ') || 'untagged images'}`,
      );
    }
    const configBytes = await this.read(pick.Config);
    const config = JSON.parse(configBytes.toString('utf8')) as { rootfs?: { diff_ids?: string[] } };
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== pick.Layers.length) {
      throw new ValidationError(
        `${this.path}: config lists ${diffIds.length} layers, manifest.json ${pick.Layers.length}`,
      );
    }
    const configDigest = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
    const byDigest = new Map<string, string>([[configDigest, pick.Config]]);
    const layers = pick.Layers.map((name, i) => {
      const digest = diffIds[i] as string;
      byDigest.set(digest, name);
      return { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size: this.#entry(name).size };
    });
    const manifest = {
      schemaVersion: 2 as const,
      mediaType: MediaType.OciManifest,
      config: { mediaType: MediaType.OciConfig, digest: configDigest, size: configBytes.length },
      layers,
    };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const top: PlannedManifest = {
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      mediaType: MediaType.OciManifest,
      size: bytes.length,
      bytes,
      manifest,
    };
    return {
      plan: { top, children: [], blobs: [manifest.config, ...layers] },
      open: (digest: string, offset: number) => this.stream(byDigest.get(digest) as string, offset),
    };
  }
}
