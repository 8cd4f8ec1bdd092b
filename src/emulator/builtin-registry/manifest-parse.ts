/**
 * Reading a pushed manifest: which of the four supported kinds it is (OCI manifest and index, Docker v2
 * manifest and manifest list), which blobs and child manifests it needs, and what the referrers API reports
 * for it (`subject`, `artifactType`, annotations). The bytes themselves are stored untouched.
 */
import { isValidDigest } from '../../reference/digest.js';
import { isImageManifestMediaType, isIndexMediaType, MediaType } from '../../registry/media-types.js';
import { RegistryError } from './errors.js';

export interface ParsedManifest {
  mediaType: string;
  /** Blobs the repository must hold (config and layers; foreign layers with `urls` excepted). */
  blobs: string[];
  /** Manifests the repository must hold (an index's children). */
  manifests: string[];
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  urls?: unknown;
}

const invalid = (message: string) => new RegistryError(400, 'MANIFEST_INVALID', 'manifest invalid', message);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function descriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw invalid(`${where} is not a descriptor`);
  if (typeof value.digest !== 'string' || !isValidDigest(value.digest))
    throw invalid(`${where} has an invalid digest`);
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0)
    throw invalid(`${where} has an invalid size`);
  if (value.mediaType !== undefined && typeof value.mediaType !== 'string')
    throw invalid(`${where} has an invalid mediaType`);
  return value as unknown as Descriptor;
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${where} is not an array`);
  return value.map((d, i) => descriptor(d, `${where}[${i}]`));
}

function annotations(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string'))
    throw invalid('annotations must map strings to strings');
  return value as Record<string, string>;
}

/** `Content-Type` without parameters, lowercased; undefined for none or a generic JSON type. */
function declaredType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return !type || type === 'application/json' || type === 'application/octet-stream' ? undefined : type;
}

export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('not JSON');
  }
  if (!isObject(doc)) throw invalid('not a JSON object');
  if (doc.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  const inBody = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const declared = declaredType(contentType);
  if (declared && inBody && declared !== inBody)
    throw invalid(`Content-Type ${declared} does not match mediaType ${inBody}`);
  const mediaType =
    declared ?? inBody ?? (doc.manifests !== undefined ? MediaType.OciIndex : MediaType.OciManifest);
  const artifactType = typeof doc.artifactType === 'string' ? doc.artifactType : undefined;
  const subject = doc.subject === undefined ? undefined : descriptor(doc.subject, 'subject').digest;
  const base = { mediaType, subject, annotations: annotations(doc.annotations) };

  if (isImageManifestMediaType(mediaType)) {
    const config = descriptor(doc.config, 'config');
    const layers = descriptors(doc.layers, 'layers');
    return {
      ...base,
      blobs: [config, ...layers.filter((l) => l.urls === undefined)].map((d) => d.digest),
      manifests: [],
      artifactType: artifactType ?? config.mediaType,
    };
  }
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw invalid('manifests must be an array');
    return {
      ...base,
      blobs: [],
      manifests: descriptors(doc.manifests, 'manifests').map((d) => d.digest),
      artifactType,
    };
  }
  throw invalid(`unsupported manifest media type ${mediaType}`);
}
