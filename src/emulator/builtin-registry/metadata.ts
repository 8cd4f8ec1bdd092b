/**
 * What the registry knows about each repository: tags, manifests (with what the referrers API needs) and
 * the blobs linked into it. The index always lives in memory; in disk mode every repository is also one
 * small JSON file, `<root>/repositories/<name>/_repository.json`, rewritten (temp file + rename) on change.
 * (Name components never start with `_`, so the file cannot collide with a nested repository's folder.)
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { replaceFile } from '../../core/atomic-file.js';
import { isValidRepository } from '../../reference/reference.js';

export interface ManifestRecord {
  digest: string;
  mediaType: string;
  size: number;
  /** Digest of the manifest this one refers to (`subject`), for the referrers API. */
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export class RepositoryRecord {
  readonly tags = new Map<string, string>();
  readonly manifests = new Map<string, ManifestRecord>();
  readonly blobs = new Set<string>();

  get empty(): boolean {
    return this.tags.size === 0 && this.manifests.size === 0 && this.blobs.size === 0;
  }

  toJSON() {
    return {
      tags: Object.fromEntries(this.tags),
      manifests: [...this.manifests.values()],
      blobs: [...this.blobs],
    };
  }

  static fromJSON(json: ReturnType<RepositoryRecord['toJSON']>): RepositoryRecord {
    const repo = new RepositoryRecord();
    for (const [tag, digest] of Object.entries(json.tags ?? {})) repo.tags.set(tag, digest);
    for (const m of json.manifests ?? []) repo.manifests.set(m.digest, m);
    for (const b of json.blobs ?? []) repo.blobs.add(b);
    return repo;
  }
}

const FILE = '_repository.json';

/** replaceFile's temp for FILE (`._repository.json.<hex>.tmp`); older runs left `_repository.json.tmp-<hex>`. */
function isReplaceTemp(name: string): boolean {
  return name.startsWith(`.${FILE}.`) && name.endsWith('.tmp');
}

export interface MetadataStore {
  load(): Promise<Map<string, RepositoryRecord>>;
  /** Persists one repository as it is now (removing it when empty). */
  save(name: string, repo: RepositoryRecord): Promise<void>;
}

export const memoryMetadata: MetadataStore = {
  load: async () => new Map(),
  save: async () => {},
};

export class DiskMetadata implements MetadataStore {
  readonly #dir: string;

  constructor(root: string) {
    this.#dir = join(root, 'repositories');
  }

  #path(name: string): string {
    return join(this.#dir, ...name.split('/'), FILE);
  }

  async load(): Promise<Map<string, RepositoryRecord>> {
    await mkdir(this.#dir, { recursive: true });
    const repos = new Map<string, RepositoryRecord>();
    for (const entry of await readdir(this.#dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !(entry.name.startsWith(FILE) || isReplaceTemp(entry.name))) continue;
      const path = join(entry.parentPath, entry.name);
      if (entry.name !== FILE) {
        await rm(path, { force: true }); // a temp file from an interrupted write
        continue;
      }
      const name = relative(this.#dir, entry.parentPath).split(sep).join('/');
      if (!isValidRepository(name)) continue;
      repos.set(name, RepositoryRecord.fromJSON(JSON.parse(await readFile(path, 'utf8'))));
    }
    return repos;
  }

  async save(name: string, repo: RepositoryRecord): Promise<void> {
    const path = this.#path(name);
    if (repo.empty) {
      await rm(path, { force: true });
      return;
    }
    await mkdir(join(path, '..'), { recursive: true });
    await replaceFile(path, (temp) => writeFile(temp, JSON.stringify(repo)));
  }
}
