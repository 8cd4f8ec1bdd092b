/**
 * Raw HTTP against the built-in registry for its protocol tests: one request helper that returns status,
 * headers and body, plus builders for blobs and manifests (pushed by hand, so every step is visible).
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

export const sha256 = (b: Uint8Array | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
export const sha512 = (b: Uint8Array | string) => `sha512:${createHash('sha512').update(b).digest('hex')}`;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
  /** The first OCI error code, if the body is an error. */
  code?: string;
}

export class Wire {
  readonly agent = new Agent({ keepAliveTimeout: 1000 });
  constructor(
    readonly url: string,
    public authorization?: string,
  ) {}

  async send(
    method: string,
    path: string,
    opts: { body?: Buffer | string; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.authorization && headers.authorization === undefined) headers.authorization = this.authorization;
    const target = /^https?:/.test(path) ? path : `${this.url}${path}`;
    const res = await request(target, {
      method: method as 'GET',
      headers,
      body: opts.body,
      dispatcher: this.agent,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    let json: unknown;
    try {
      json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    const code = (json as { errors?: Array<{ code: string }> } | undefined)?.errors?.[0]?.code;
    return { status: res.statusCode, headers: res.headers, body, json, code };
  }

  /** Monolithic POST `?digest=`; returns the reply (201 when stored). */
  pushBlob(repo: string, bytes: Buffer | string, digest = sha256(bytes)): Promise<Reply> {
    return this.send('POST', `/v2/${repo}/blobs/uploads/?digest=${digest}`, {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
  }

  putManifest(repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<Reply> {
    return this.send('PUT', `/v2/${repo}/manifests/${reference}`, {
      body: bytes,
      headers: { 'content-type': mediaType },
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export interface PushedImage {
  manifest: Buffer;
  digest: string;
  config: { digest: string; size: number };
  layers: Array<{ digest: string; size: number }>;
}

/** Pushes a small image (config + layers) and its manifest under `reference`. */
export async function pushImage(
  wire: Wire,
  repo: string,
  reference: string,
  opts: { layers?: string[]; mediaType?: string; extra?: Record<string, unknown> } = {},
): Promise<PushedImage> {
  const docker = opts.mediaType === DOCKER_MANIFEST;
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers' } });
  const layerBytes = opts.layers ?? ['layer one'];
  for (const b of [configBytes, ...layerBytes]) {
    const reply = await wire.pushBlob(repo, Buffer.from(b));
    if (reply.status !== 201) throw new Error(`blob push failed: ${reply.status} ${reply.body}`);
  }
  const config = { digest: sha256(configBytes), size: Buffer.byteLength(configBytes) };
  const layers = layerBytes.map((b) => ({ digest: sha256(b), size: Buffer.byteLength(b) }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: opts.mediaType ?? OCI_MANIFEST,
      config: { mediaType: docker ? DOCKER_CONFIG : OCI_CONFIG, ...config },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
      ...opts.extra,
    }),
  );
  const reply = await wire.putManifest(repo, reference, manifest, opts.mediaType ?? OCI_MANIFEST);
  if (reply.status !== 201) throw new Error(`manifest push failed: ${reply.status} ${reply.body}`);
  return { manifest, digest: sha256(manifest), config, layers };
}
