/**
 * The registry's state: repositories (tags, manifests, linked blobs) over a content store. Blobs are
 * shared by digest and linked per repository, so a repository serves only what was pushed or mounted into
 * it. Content nobody references any more is deleted. Per-digest locking keeps a commit and a deletion of
 * the same content from interleaving; per-repository locking keeps metadata writes in order.
 */
import { isValidDigest } from '../../reference/digest.js';
import type { ByteRange, ContentStore } from './content-store.js';
import { KeyedLock } from './keyed-lock.js';
import { type ManifestRecord, type MetadataStore, RepositoryRecord } from './metadata.js';

export class RepositoryStore {
  readonly #repos: Map<string, RepositoryRecord>;
  readonly #digestLock = new KeyedLock();
  readonly #saveLock = new KeyedLock();

  private constructor(
    readonly content: ContentStore,
    readonly metadata: MetadataStore,
    repos: Map<string, RepositoryRecord>,
  ) {
    this.#repos = repos;
  }

  static async open(content: ContentStore, metadata: MetadataStore): Promise<RepositoryStore> {
    return new RepositoryStore(content, metadata, await metadata.load());
  }

  /** The repository, if it holds anything. */
  repository(name: string): RepositoryRecord | undefined {
    const repo = this.#repos.get(name);
    return repo && !repo.empty ? repo : undefined;
  }

  #ensure(name: string): RepositoryRecord {
    let repo = this.#repos.get(name);
    if (!repo) {
      repo = new RepositoryRecord();
      this.#repos.set(name, repo);
    }
    return repo;
  }

  /** Writes the repository's metadata as it is when the write runs, after any earlier write. */
  #save(name: string): Promise<void> {
    return this.#saveLock.run(name, async () => {
      const repo = this.#repos.get(name);
      if (!repo) return;
      await this.metadata.save(name, repo);
      if (repo.empty && this.#repos.get(name) === repo) this.#repos.delete(name);
    });
  }

  #referenced(digest: string): boolean {
    for (const repo of this.#repos.values())
      if (repo.blobs.has(digest) || repo.manifests.has(digest)) return true;
    return false;
  }

  /** Deletes content no repository links any more. */
  #collect(digest: string): Promise<void> {
    return this.#digestLock.run(digest, async () => {
      if (!this.#referenced(digest)) await this.content.delete(digest);
    });
  }

  // Blobs

  /** The blob's size when `name` may serve it (a linked blob, or one of its manifests). */
  async blobSize(name: string, digest: string): Promise<number | undefined> {
    const repo = this.#repos.get(name);
    if (!repo || !(repo.blobs.has(digest) || repo.manifests.has(digest))) return undefined;
    return this.content.size(digest);
  }

  openBlob(digest: string, range?: ByteRange) {
    return this.content.open(digest, range);
  }

  /** Moves a verified upload into the content store and links it into `name`. */
  async commitUpload(name: string, uploadId: string, digest: string): Promise<void> {
    await this.#digestLock.run(digest, async () => {
      await this.content.uploads.commit(uploadId, digest);
      this.#ensure(name).blobs.add(digest);
    });
    await this.#save(name);
  }

  /** Cross-repository mount: links `from`'s blob into `name`. False when `from` does not have it. */
  async mount(name: string, from: string, digest: string): Promise<boolean> {
    if (!isValidDigest(digest) || (await this.blobSize(from, digest)) === undefined) return false;
    const linked = await this.#digestLock.run(digest, async () => {
      if ((await this.content.size(digest)) === undefined) return false;
      this.#ensure(name).blobs.add(digest);
      return true;
    });
    if (linked) await this.#save(name);
    return linked;
  }

  /** Unlinks a blob from `name`; false when it was not linked. */
  async deleteBlob(name: string, digest: string): Promise<boolean> {
    const repo = this.#repos.get(name);
    if (!repo?.blobs.delete(digest)) return false;
    await this.#save(name);
    await this.#collect(digest);
    return true;
  }

  // Manifests and tags

  /** The manifest a tag or digest names in `name`. */
  manifest(name: string, reference: string): ManifestRecord | undefined {
    const repo = this.#repos.get(name);
    const digest = isValidDigest(reference) ? reference : repo?.tags.get(reference);
    return digest === undefined ? undefined : repo?.manifests.get(digest);
  }

  readManifest(record: ManifestRecord): Promise<Buffer> {
    return this.content.read(record.digest);
  }

  async putManifest(name: string, record: ManifestRecord, bytes: Buffer, tag?: string): Promise<void> {
    await this.#digestLock.run(record.digest, async () => {
      await this.content.put(record.digest, bytes);
      const repo = this.#ensure(name);
      repo.manifests.set(record.digest, record);
      if (tag !== undefined) repo.tags.set(tag, record.digest);
    });
    await this.#save(name);
  }

  /** Deletes a manifest and every tag naming it; undefined when unknown. */
  async deleteManifest(name: string, digest: string): Promise<ManifestRecord | undefined> {
    const repo = this.#repos.get(name);
    const record = repo?.manifests.get(digest);
    if (!repo || !record) return undefined;
    repo.manifests.delete(digest);
    for (const [tag, target] of repo.tags) if (target === digest) repo.tags.delete(tag);
    await this.#save(name);
    await this.#collect(digest);
    return record;
  }

  /** Removes one tag; the manifest stays. Returns what the tag named, undefined when unknown. */
  async deleteTag(name: string, tag: string): Promise<ManifestRecord | undefined> {
    const repo = this.#repos.get(name);
    const digest = repo?.tags.get(tag);
    if (!repo || digest === undefined) return undefined;
    repo.tags.delete(tag);
    await this.#save(name);
    return repo.manifests.get(digest);
  }

  /** Tags in lexical order; undefined for an unknown repository. */
  tags(name: string): string[] | undefined {
    const repo = this.repository(name);
    return repo ? [...repo.tags.keys()].sort() : undefined;
  }

  /** Manifests of `name` whose `subject` is `digest`, in push order. */
  referrers(name: string, digest: string): ManifestRecord[] {
    const repo = this.#repos.get(name);
    return repo ? [...repo.manifests.values()].filter((m) => m.subject === digest) : [];
  }

  /** Every repository holding something, in lexical order. */
  catalog(): string[] {
    return [...this.#repos.entries()]
      .filter(([, repo]) => !repo.empty)
      .map(([name]) => name)
      .sort();
  }
}
