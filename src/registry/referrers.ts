/**
 * Referrers (OCI distribution v1.1): attestations, signatures and SBOMs that point at a manifest through
 * `subject`. Uses the referrers API, and on 404 falls back to the referrers tag schema (`sha256-<hex>`),
 * as the spec requires of clients.
 */
import { NotFoundError } from '../core/errors.js';
import { type ImageReference, parseReference } from '../reference/index.js';
import type { RegistryClient } from './client.js';
import { MediaType } from './media-types.js';
import { type Descriptor, imageIndexSchema, isIndex } from './types.js';

export interface ReferrersResult {
  subject: string;
  referrers: Descriptor[];
  /** 'api' when the registry answered the referrers API, 'tag-schema' for the fallback. */
  source: 'api' | 'tag-schema';
  /** Whether the registry applied the artifactType filter itself (else we filtered client-side). */
  filteredByRegistry: boolean;
}

export class Referrers {
  constructor(private readonly client: RegistryClient) {}

  async list(
    input: string | ImageReference,
    opts: { artifactType?: string; signal?: AbortSignal } = {},
  ): Promise<ReferrersResult> {
    const ref = this.client.ref(input);
    const subject = await this.client.manifests.resolve(ref, opts.signal);
    const res = await this.client.fetch({
      repo: ref,
      method: 'GET',
      path: `referrers/${subject}`,
      query: { artifactType: opts.artifactType },
      headers: { accept: MediaType.OciIndex },
      allowStatus: [404],
      signal: opts.signal,
    });
    if (res.status !== 404) {
      const parsed = imageIndexSchema.safeParse(await res.body.json());
      const referrers = parsed.success ? parsed.data.manifests : [];
      const filteredByRegistry = (res.headers['oci-filters-applied'] ?? '').includes('artifactType');
      return { subject, referrers: filter(referrers, opts.artifactType), source: 'api', filteredByRegistry };
    }
    await res.body.dump();
    return {
      subject,
      referrers: filter(await this.#fromTagSchema(ref, subject, opts.signal), opts.artifactType),
      source: 'tag-schema',
      filteredByRegistry: false,
    };
  }

  async #fromTagSchema(ref: ImageReference, subject: string, signal?: AbortSignal): Promise<Descriptor[]> {
    const tag = subject.replace(':', '-');
    const tagRef = parseReference(`${ref.registry}/${ref.repository}:${tag}`);
    try {
      const { manifest } = await this.client.manifests.get(tagRef, { signal });
      return isIndex(manifest) ? manifest.manifests : [];
    } catch (err) {
      if (err instanceof NotFoundError) return [];
      throw err;
    }
  }
}

function filter(list: Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType ? list.filter((d) => d.artifactType === artifactType) : list;
}
