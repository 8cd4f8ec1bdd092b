/**
 * `hub_registry`'s parameters and the small pieces its actions share: references and repositories
 * parsed (and refused) before any request, blob contents shaped for a model, transfer events as MCP
 * progress. Names follow the distribution API's own (`reference`, `digest`, `from`, `last`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { type ImageReference, isValidDigest, parseReference, registryHost } from '../../reference/index.js';
import type { TransferEvent } from '../../registry/index.js';
import { type ProgressReport, param } from '../action.js';
import { platform, tag } from './params.js';

/** Turns a parser's exception into a zod issue, so a bad value is refused with its own message. */
function parsed<T>(parse: (v: string) => T) {
  return (value: string, ctx: z.RefinementCtx): T => {
    try {
      return parse(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  };
}

function repositoryOnly(value: string): ImageReference {
  const ref = parseReference(value, { defaultTag: false });
  if (ref.tag !== undefined || ref.digest !== undefined)
    throw new ValidationError('a repository, without tag or digest');
  return ref;
}

function registryName(value: string): string {
  const ref = parseReference(`${value}/x`, { defaultTag: false });
  const named = ref.registry === value || (ref.registry === 'docker.io' && /docker\.io$/.test(value));
  if (!named) throw new ValidationError('a registry host[:port], e.g. "ghcr.io" or "127.0.0.1:5000"');
  return ref.registry;
}

/** Largest chunk decoded per upload_chunk call: the request must fit an HTTP body limit. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CHUNK_TOO_LARGE = `a chunk is at most ${MAX_CHUNK_BYTES} bytes decoded: split it`;

export const registryParams = {
  reference: param(
    z
      .string()
      .max(1024)
      .transform(parsed((v) => parseReference(v))),
    'Image: [registry/]repository[:tag][@digest], e.g. "nginx:1.27", "127.0.0.1:5000/acme/app@sha256:…" (Docker Hub unless a registry is named; tag default latest).',
  ),
  repository: param(
    z.string().max(1024).transform(parsed(repositoryOnly)),
    'Repository with its registry unless Docker Hub, no tag: "nginx", "acme/app", "127.0.0.1:5000/acme/app".',
  ),
  registry: param(
    z.string().min(1).max(255).transform(parsed(registryName)),
    'Registry host[:port] (default docker.io).',
  ),
  digest: param(
    z.string().refine(isValidDigest, 'a digest is sha256: and 64 lowercase hex digits'),
    'Content digest, "sha256:<64 hex>".',
  ),
  platform,
  tag: { ...tag, description: 'The new tag, in the same repository.' },
  destination: param(
    z
      .string()
      .max(1024)
      .transform(parsed((v) => parseReference(v, { defaultTag: false }))),
    "Where to copy to: [registry/]repository[:tag]; without a tag, the source's tag.",
  ),
  referrers: param(z.boolean(), 'Also copy the signatures, SBOMs and attestations referring to it.'),
  from: param(
    z
      .string()
      .max(255)
      .transform(parsed((v) => repositoryOnly(v).repository)),
    'Repository on the same registry that has the blob, e.g. "acme/base".',
  ),
  last: param(z.string().min(1).max(128), 'List tags after this one (from `next`).'),
  page_size: param(z.number().int().min(1).max(1000), 'Tags per page, 1-1000 (default 100).'),
  artifact_type: param(
    z.string().min(1).max(255),
    'Only referrers of this artifact type, e.g. "application/spdx+json".',
  ),
  manifest: param(
    z
      .string()
      .min(2)
      .max(4 * 1024 * 1024),
    'The manifest as JSON text, exactly as it is to be stored (its sha256 is its digest).',
  ),
  media_type: param(
    z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type, e.g. application/vnd.oci.image.manifest.v1+json'),
    "The manifest's media type (default: its mediaType field).",
  ),
  location: param(
    z.string().min(1).max(8192),
    'The upload session URL: from start_upload, then the one the last upload_chunk returned.',
  ),
  chunk: param(
    z
      .string()
      .min(1)
      .max(Math.ceil(MAX_CHUNK_BYTES / 3) * 4, CHUNK_TOO_LARGE)
      .regex(BASE64, 'base64 text'),
    `The blob's next bytes, base64 (at most ${MAX_CHUNK_BYTES / 1024 / 1024} MiB decoded per call).`,
  ),
  offset: param(
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 42),
    'Where this chunk starts: the `offset` the last result gave; a mismatch is refused.',
  ),
};

/**
 * Why a session URL handed back is not one of `repo`'s upload sessions, checked before the user is
 * asked anything; the SDK checks it again (scheme and origin included) before sending.
 */
export function locationProblem(repo: ImageReference, location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return '"location" is not a URL: pass the location start_upload returned';
  }
  const prefix = `/v2/${repo.repository}/blobs/uploads/`;
  if (url.host !== registryHost(repo).toLowerCase() || !url.pathname.startsWith(prefix))
    return `"location" is not an upload session of ${repoName(repo)}: pass the location start_upload or the last upload_chunk returned`;
  return undefined;
}

/** Why a base64 chunk cannot be sent, checked before confirmation and before any request. */
export function chunkProblem(chunk: string): string | undefined {
  if (chunk.length % 4 === 1) return '"chunk" is not valid base64';
  if (decodeChunk(chunk).length > MAX_CHUNK_BYTES) return CHUNK_TOO_LARGE;
  return undefined;
}

export function decodeChunk(chunk: string): Buffer {
  return Buffer.from(chunk, 'base64');
}

/** `registry/repository`, as questions and results name a repository. */
export const repoName = (ref: Pick<ImageReference, 'registry' | 'repository'>) =>
  `${ref.registry}/${ref.repository}`;

/** The digest the bytes of `text` will be stored under. */
export function sha256Digest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Control characters other than tab, newline and carriage return: not text. */
function hasBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

/** A blob as a model can read it: parsed JSON, UTF-8 text, or base64 for anything else. */
export function blobContent(bytes: Buffer): { encoding: 'json' | 'text' | 'base64'; content: unknown } {
  let text: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined || hasBinary(text)) return { encoding: 'base64', content: bytes.toString('base64') };
  try {
    return { encoding: 'json', content: JSON.parse(text) };
  } catch {
    return { encoding: 'text', content: text };
  }
}

/**
 * Transfer events as progress in bytes: the plan gives the total, each blob adds what it moved (a blob
 * found or mounted counts whole). A restarted blob never moves the count back.
 */
export function transferProgress(report: (p: ProgressReport) => void): (e: TransferEvent) => void {
  let total: number | undefined;
  let sum = 0;
  const moved = new Map<string, number>();
  const advance = (digest: string, bytes: number) => {
    const before = moved.get(digest) ?? 0;
    if (bytes <= before) return;
    moved.set(digest, bytes);
    sum += bytes - before;
  };
  return (e) => {
    switch (e.type) {
      case 'plan':
        total = e.bytes;
        report({ progress: 0, total, message: `copying ${e.blobs} blobs (${e.bytes} bytes)` });
        break;
      case 'blob-progress':
        advance(e.digest, e.bytes);
        report({ progress: sum, total });
        break;
      case 'blob-done':
        advance(e.digest, e.size);
        report({ progress: sum, total, message: `${e.outcome} ${e.digest}` });
        break;
      default:
        break;
    }
  };
}
