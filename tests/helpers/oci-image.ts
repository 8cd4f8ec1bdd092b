/**
 * Synthetic OCI image layouts (image-spec image-layout.md) for pushing with skopeo: random layers, real
 * JSON configs and manifests, and for several platforms an image index. Layers are streamed to disk and
 * hashed on the fly, so multi-GiB benchmark images never sit in memory.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface OciLayoutSpec {
  /** Tag recorded as `org.opencontainers.image.ref.name` in index.json; default 'latest'. */
  tag?: string;
  /** Default one platform, linux/amd64. Several -> the tag points at an image index. */
  platforms?: Platform[];
  /** Layer sizes in bytes; each platform gets its own random layers of these sizes. */
  layers: number[];
  /** Annotations on every image manifest (and on the image index when there is one). */
  annotations?: Record<string, string>;
}

export interface Blob {
  digest: string;
  size: number;
}

export interface OciLayout {
  dir: string;
  tag: string;
  /** Digest of the image index; only for multi-platform layouts. */
  indexDigest?: string;
  /** Image manifest digests, one per platform, in `platforms` order. */
  manifestDigests: string[];
  /** Per platform: its layers in order, then its config blob. */
  blobs: Blob[];
}

const CHUNK = 1 << 20;
/** First bytes of gzip, zstd, bzip2 and xz: a random layer starting so would be "detected" as compressed. */
const COMPRESSION_MAGIC = new Set([0x1f, 0x28, 0x42, 0xfd]);

/** Random bytes from an AES-CTR keystream (much faster than randomBytes for GiB sizes), hashed while written. */
async function writeRandomBlob(blobsDir: string, size: number): Promise<Blob> {
  const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
  const zeros = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
  const hash = createHash('sha256');
  const tmp = join(blobsDir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fh = await open(tmp, 'w');
  try {
    for (let written = 0; written < size; ) {
      const chunk = cipher.update(zeros.subarray(0, Math.min(CHUNK, size - written)));
      if (written === 0 && COMPRESSION_MAGIC.has(chunk[0]!)) chunk[0] = 0x00;
      hash.update(chunk);
      await fh.write(chunk);
      written += chunk.length;
    }
  } finally {
    await fh.close();
  }
  const hex = hash.digest('hex');
  await rename(tmp, join(blobsDir, hex));
  return { digest: `sha256:${hex}`, size };
}

async function writeJsonBlob(blobsDir: string, value: unknown): Promise<Blob> {
  const bytes = Buffer.from(JSON.stringify(value));
  const hex = createHash('sha256').update(bytes).digest('hex');
  await writeFile(join(blobsDir, hex), bytes);
  return { digest: `sha256:${hex}`, size: bytes.length };
}

export async function writeOciLayout(dir: string, spec: OciLayoutSpec): Promise<OciLayout> {
  const tag = spec.tag ?? 'latest';
  const platforms = spec.platforms?.length ? spec.platforms : [{ os: 'linux', architecture: 'amd64' }];
  const annotations = spec.annotations && Object.keys(spec.annotations).length ? spec.annotations : undefined;
  const blobsDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));

  const blobs: Blob[] = [];
  const manifests: Array<Blob & { platform: Platform }> = [];
  for (const p of platforms) {
    const layers: Blob[] = [];
    for (const size of spec.layers) layers.push(await writeRandomBlob(blobsDir, size));
    const platform: Platform = {
      os: p.os,
      architecture: p.architecture,
      ...(p.variant ? { variant: p.variant } : {}),
    };
    // The layers are not real gzip'd tars, so diff_ids reuse the layer digests; nothing checks them.
    const config = await writeJsonBlob(blobsDir, {
      created: new Date().toISOString(),
      ...platform,
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Cmd: ['/bin/sh'],
        Labels: { ...annotations },
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      history: layers.map(() => ({ created_by: 'dockerhub-api test generator' })),
    });
    blobs.push(...layers, config);
    const manifest = await writeJsonBlob(blobsDir, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, ...config },
      layers: layers.map((l) => ({ mediaType: OCI_LAYER_GZIP, ...l })),
      ...(annotations ? { annotations } : {}),
    });
    manifests.push({ ...manifest, platform });
  }

  const refName = { 'org.opencontainers.image.ref.name': tag };
  let top: { mediaType: string } & Blob & { platform?: Platform };
  let indexDigest: string | undefined;
  if (manifests.length === 1) {
    top = { mediaType: OCI_MANIFEST, ...manifests[0]! };
  } else {
    const index = await writeJsonBlob(blobsDir, {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: manifests.map((m) => ({
        mediaType: OCI_MANIFEST,
        digest: m.digest,
        size: m.size,
        platform: m.platform,
      })),
      ...(annotations ? { annotations } : {}),
    });
    indexDigest = index.digest;
    top = { mediaType: OCI_INDEX, ...index };
  }
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...top, annotations: refName }] }),
  );
  return {
    dir,
    tag,
    ...(indexDigest ? { indexDigest } : {}),
    manifestDigests: manifests.map((m) => m.digest),
    blobs,
  };
}
