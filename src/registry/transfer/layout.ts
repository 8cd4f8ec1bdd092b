/**
 * OCI image layout (image-spec image-layout.md): `oci-layout`, `index.json`, `blobs/<alg>/<hex>`. Blobs are
 * written to temp names and renamed once verified; a pull builds the whole layout in a sibling temp
 * directory and renames it into place last, so an interrupted pull leaves nothing half-written.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ValidationError } from '../../core/errors.js';
import { assertDigest } from '../../reference/index.js';
import { parseManifest } from '../manifests.js';
import { MediaType } from '../media-types.js';
import { type Descriptor, imageIndexSchema, type Manifest } from '../types.js';

export const LAYOUT_VERSION = '1.0.0';
export const REF_NAME = 'org.opencontainers.image.ref.name';

export function blobPath(root: string, digest: string): string {
  const d = assertDigest(digest);
  const i = d.indexOf(':');
  return join(root, 'blobs', d.slice(0, i), d.slice(i + 1));
}

export async function initLayout(root: string): Promise<void> {
  await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(root, 'oci-layout'), JSON.stringify({ imageLayoutVersion: LAYOUT_VERSION }));
}

export async function writeIndex(root: string, manifests: Descriptor[]): Promise<void> {
  const index = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests };
  await writeFile(join(root, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
}

export class OciLayoutReader {
  constructor(readonly root: string) {}

  async index(): Promise<Descriptor[]> {
    let text: string;
    try {
      text = await readFile(join(this.root, 'index.json'), 'utf8');
      await stat(join(this.root, 'oci-layout'));
    } catch {
      throw new ValidationError(`${this.root} is not an OCI image layout (no oci-layout or index.json)`);
    }
    const parsed = imageIndexSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new ValidationError(`${join(this.root, 'index.json')} is not a valid image index`);
    return parsed.data.manifests;
  }

  /** The descriptor tagged `tag` (ref.name annotation), or the only one when the layout holds one image. */
  async find(tag?: string): Promise<Descriptor> {
    const all = await this.index();
    if (tag) {
      const hit = all.find((d) => d.annotations?.[REF_NAME] === tag);
      if (!hit) {
        const names = all.map((d) => d.annotations?.[REF_NAME]).filter(Boolean);
        throw new ValidationError(
          `no image tagged "${tag}" in ${this.root}; it has: ${names.join(', ') || 'no tags'}`,
        );
      }
      return hit;
    }
    if (all.length !== 1 || !all[0]) {
      throw new ValidationError(`${this.root} holds ${all.length} images; name one with DIR:TAG`);
    }
    return all[0];
  }

  async readBlob(digest: string): Promise<Buffer> {
    return readFile(blobPath(this.root, digest));
  }

  async manifest(digest: string): Promise<{ bytes: Buffer; manifest: Manifest }> {
    const bytes = await this.readBlob(digest);
    return { bytes, manifest: parseManifest(bytes, `${this.root} ${digest}`) };
  }

  open(digest: string, offset = 0): Readable {
    return createReadStream(blobPath(this.root, digest), { start: offset, highWaterMark: 64 * 1024 });
  }
}
