/**
 * `inspect`: a summary of an image in the fewest round trips. The top manifest is fetched once; each
 * child manifest and its config are then fetched as one chain per platform, all chains in parallel.
 */
import { ValidationError } from '../core/errors.js';
import { instrument } from '../core/telemetry.js';
import {
  formatPlatform,
  type ImageReference,
  type Platform,
  parsePlatform,
  platformMatches,
  withDigest,
} from '../reference/index.js';
import type { RegistryClient } from './client.js';
import type { ManifestResult } from './manifests.js';
import {
  type Descriptor,
  type ImageConfig,
  type ImageManifest,
  imageConfigSchema,
  isIndex,
} from './types.js';

export interface LayerSummary {
  digest: string;
  mediaType: string;
  size: number;
}

export interface ConfigSummary {
  digest: string;
  mediaType: string;
  created?: string;
  author?: string;
  user?: string;
  env?: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  labels?: Record<string, string>;
  exposedPorts?: string[];
}

export interface ManifestSummary {
  /** 'image' for runnable images, 'attestation' for buildx provenance/SBOM manifests, 'artifact' otherwise. */
  kind: 'image' | 'attestation' | 'artifact';
  platform?: string;
  digest: string;
  mediaType: string;
  size: number;
  artifactType?: string;
  layers: LayerSummary[];
  /** Sum of the compressed layer sizes. */
  totalLayerSize: number;
  config?: ConfigSummary;
  annotations?: Record<string, string>;
}

export interface InspectResult {
  reference: string;
  registry: string;
  repository: string;
  tag?: string;
  digest: string;
  mediaType: string;
  size: number;
  isIndex: boolean;
  annotations?: Record<string, string>;
  manifests: ManifestSummary[];
}

export interface InspectOptions {
  /** Only this platform's manifest (e.g. linux/arm64). */
  platform?: string | Platform;
  /** Skip attestation manifests in indexes (default false). */
  imagesOnly?: boolean;
  signal?: AbortSignal;
}

const ATTESTATION_ANNOTATION = 'vnd.docker.reference.type';

function kindOf(d: Pick<Descriptor, 'annotations' | 'platform' | 'artifactType'>): ManifestSummary['kind'] {
  if (d.annotations?.[ATTESTATION_ANNOTATION] === 'attestation-manifest') return 'attestation';
  if (d.artifactType) return 'artifact';
  return 'image';
}

function summarizeConfig(descriptor: Descriptor, config: ImageConfig): ConfigSummary {
  const c = config.config ?? {};
  return {
    digest: descriptor.digest,
    mediaType: descriptor.mediaType,
    created: config.created,
    author: config.author,
    user: c.User || undefined,
    env: c.Env ?? undefined,
    entrypoint: c.Entrypoint ?? undefined,
    cmd: c.Cmd ?? undefined,
    workingDir: c.WorkingDir || undefined,
    labels: c.Labels ?? undefined,
    exposedPorts: c.ExposedPorts ? Object.keys(c.ExposedPorts) : undefined,
  };
}

/** Media types of configs that are image configs (others are artifact payloads we do not parse). */
const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
]);

export async function summarizeManifest(
  client: RegistryClient,
  ref: ImageReference,
  manifest: ImageManifest,
  meta: { digest: string; mediaType: string; size: number; platform?: string; descriptor?: Descriptor },
  signal?: AbortSignal,
): Promise<ManifestSummary> {
  const kind = meta.descriptor ? kindOf(meta.descriptor) : manifest.artifactType ? 'artifact' : 'image';
  let config: ConfigSummary | undefined;
  let platform = meta.platform;
  if (kind === 'image' && IMAGE_CONFIG_TYPES.has(manifest.config.mediaType)) {
    const raw = await client.blobs.getJson(ref, manifest.config.digest, {
      signal,
      size: manifest.config.size,
    });
    const parsed = imageConfigSchema.safeParse(raw);
    if (parsed.success) {
      config = summarizeConfig(manifest.config, parsed.data);
      if (!platform && parsed.data.os && parsed.data.architecture) {
        platform = formatPlatform({
          os: parsed.data.os,
          architecture: parsed.data.architecture,
          variant: parsed.data.variant,
        });
      }
    }
  }
  const layers = manifest.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size }));
  return {
    kind,
    platform,
    digest: meta.digest,
    mediaType: meta.mediaType,
    size: meta.size,
    artifactType: manifest.artifactType ?? meta.descriptor?.artifactType,
    layers,
    totalLayerSize: layers.reduce((n, l) => n + l.size, 0),
    config,
    annotations: manifest.annotations,
  };
}

function descriptorPlatform(d: Descriptor): Platform | undefined {
  return d.platform
    ? { os: d.platform.os, architecture: d.platform.architecture, variant: d.platform.variant }
    : undefined;
}

/** The index's children that match `platform` (all image children when no platform is given). */
export function selectChildren(
  manifests: Descriptor[],
  platform: Platform | undefined,
  imagesOnly: boolean,
): Descriptor[] {
  return manifests.filter((d) => {
    if (platform) {
      const p = descriptorPlatform(d);
      return kindOf(d) === 'image' && p !== undefined && platformMatches(platform, p);
    }
    return !imagesOnly || kindOf(d) === 'image';
  });
}

export async function inspectImage(
  client: RegistryClient,
  input: string | ImageReference,
  opts: InspectOptions = {},
): Promise<InspectResult> {
  const ref = client.ref(input);
  return instrument('docker.image.inspect', { image: ref.toString() }, async (span) => {
    const result = await inspectUninstrumented(client, ref, opts);
    span.setAttributes({ digest: result.digest, count: result.manifests.length });
    return result;
  });
}

async function inspectUninstrumented(
  client: RegistryClient,
  ref: ImageReference,
  opts: InspectOptions,
): Promise<InspectResult> {
  const platform = typeof opts.platform === 'string' ? parsePlatform(opts.platform) : opts.platform;
  const top: ManifestResult = await client.manifests.get(ref, { signal: opts.signal });
  const base = {
    reference: ref.toString(),
    registry: ref.registry,
    repository: ref.repository,
    tag: ref.tag,
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    annotations: top.manifest.annotations,
  };
  if (!isIndex(top.manifest)) {
    const summary = await summarizeManifest(client, ref, top.manifest, top, opts.signal);
    if (platform && summary.platform && !platformMatches(platform, parsePlatform(summary.platform))) {
      throw new ValidationError(
        `${ref} is a single-platform image for ${summary.platform}, not ${formatPlatform(platform)}`,
      );
    }
    return { ...base, isIndex: false, manifests: [summary] };
  }
  const children = selectChildren(top.manifest.manifests, platform, opts.imagesOnly ?? false);
  if (platform && children.length === 0) {
    const available = top.manifest.manifests
      .map(descriptorPlatform)
      .filter((p): p is Platform => p !== undefined)
      .map(formatPlatform);
    throw new ValidationError(
      `${ref} has no ${formatPlatform(platform)} image; available: ${available.join(', ') || 'none'}`,
    );
  }
  const manifests = await Promise.all(
    children.map(async (d) => {
      const child = await client.manifests.get(withDigest(ref, d.digest), { signal: opts.signal });
      if (isIndex(child.manifest)) {
        return {
          kind: kindOf(d),
          digest: child.digest,
          mediaType: child.mediaType,
          size: child.size,
          layers: [],
          totalLayerSize: 0,
          annotations: child.manifest.annotations,
        } satisfies ManifestSummary;
      }
      const p = descriptorPlatform(d);
      return summarizeManifest(
        client,
        ref,
        child.manifest,
        { ...child, platform: p ? formatPlatform(p) : undefined, descriptor: d },
        opts.signal,
      );
    }),
  );
  return { ...base, isIndex: true, manifests };
}

/** Platforms of an image: every platform of an index, or the single image's own. */
export async function imagePlatforms(
  client: RegistryClient,
  input: string | ImageReference,
  signal?: AbortSignal,
): Promise<string[]> {
  const ref = client.ref(input);
  const top = await client.manifests.get(ref, { signal });
  if (isIndex(top.manifest)) {
    return top.manifest.manifests
      .filter((d) => kindOf(d) === 'image')
      .map(descriptorPlatform)
      .filter((p): p is Platform => p !== undefined)
      .map(formatPlatform);
  }
  const summary = await summarizeManifest(client, ref, top.manifest, top, signal);
  return summary.platform ? [summary.platform] : [];
}

/** The platform a client on this machine would pull by default (as docker does). */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

/**
 * The image manifest for one platform: the reference itself when it is a single image, else the
 * index child matching `platform` (default: this machine's platform).
 */
export async function resolveImageManifest(
  client: RegistryClient,
  input: string | ImageReference,
  opts: { platform?: string | Platform; signal?: AbortSignal } = {},
): Promise<ManifestResult & { manifest: ImageManifest; platform?: string }> {
  const ref = client.ref(input);
  const top = await client.manifests.get(ref, { signal: opts.signal });
  if (!isIndex(top.manifest)) return { ...top, manifest: top.manifest };
  const want =
    typeof opts.platform === 'string' ? parsePlatform(opts.platform) : (opts.platform ?? hostPlatform());
  const [child] = selectChildren(top.manifest.manifests, want, true);
  if (!child) {
    const available = top.manifest.manifests
      .filter((d) => kindOf(d) === 'image')
      .map(descriptorPlatform)
      .filter((p): p is Platform => p !== undefined)
      .map(formatPlatform);
    throw new ValidationError(
      `${ref} has no ${formatPlatform(want)} image; available: ${available.join(', ') || 'none'} (use --platform)`,
    );
  }
  const got = await client.manifests.get(withDigest(ref, child.digest), { signal: opts.signal });
  if (isIndex(got.manifest))
    throw new ValidationError(`${ref}: nested index for ${formatPlatform(want)} is not supported`);
  const p = descriptorPlatform(child);
  return { ...got, manifest: got.manifest, platform: p ? formatPlatform(p) : undefined };
}
