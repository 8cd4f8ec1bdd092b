/** The emulator's state: users, organizations, repositories and tags, and an audit log of mutations. */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.js';
import { type ScoutSeed, ScoutState } from './scout/seed.js';

export interface SeedUser {
  username: string;
  password: string;
  email?: string;
}
export interface SeedRepository {
  namespace: string;
  name: string;
  description?: string;
  is_private?: boolean;
  tags?: Array<{ name: string; digest?: string; size?: number }>;
}
export interface Seed {
  users?: SeedUser[];
  orgs?: Array<{ name: string; members?: string[] }>;
  repositories?: SeedRepository[];
  /** Docker Scout's data: images with packages and vulnerabilities, policies, recommendations. */
  scout?: ScoutSeed;
}

export interface EmulatedTag {
  name: string;
  digest: string;
  full_size: number;
  last_updated: string;
  last_updater_username: string;
  tag_status: string;
}

export interface EmulatedRepository {
  namespace: string;
  name: string;
  description: string;
  full_description: string | null;
  is_private: boolean;
  date_registered: string;
  last_updated: string | null;
  star_count: number;
  pull_count: number;
  tags: Map<string, EmulatedTag>;
}

export interface EmulatedPat {
  uuid: string;
  owner: string;
  token: string;
  token_label: string;
  scopes: string[];
  is_active: boolean;
  created_at: string;
  expires_at?: string;
  last_used: string | null;
}

export interface AuditEntry {
  action: string;
  actor: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export class EmulatorState {
  readonly users = new Map<string, SeedUser & { uuid: string }>();
  readonly orgs = new Map<string, { name: string; members: Set<string> }>();
  readonly repositories = new Map<string, EmulatedRepository>();
  readonly audit: AuditEntry[] = [];
  readonly pats = new Map<string, EmulatedPat>();
  readonly scout: ScoutState;
  /** Tokens carry the generation they were issued in; `revokeTokens()` refuses all earlier ones. */
  tokenGeneration = 0;

  /** Simulates revocation of every JWT issued so far (the next call with one gets 401). */
  revokeTokens(): void {
    this.tokenGeneration++;
  }

  constructor(seed: Seed = {}) {
    this.scout = new ScoutState(seed.scout);
    for (const u of seed.users ?? []) this.users.set(u.username, { ...u, uuid: randomUUID() });
    for (const o of seed.orgs ?? [])
      this.orgs.set(o.name, { name: o.name, members: new Set(o.members ?? []) });
    for (const r of seed.repositories ?? []) {
      const repo = this.addRepository(r.namespace, r.name, {
        description: r.description,
        is_private: r.is_private,
      });
      for (const t of r.tags ?? []) this.setTag(repo, t.name, t.digest, t.size, 'seed');
    }
  }

  static async fromFile(path: string): Promise<EmulatorState> {
    try {
      return new EmulatorState(JSON.parse(await readFile(path, 'utf8')) as Seed);
    } catch (err) {
      throw new ValidationError(`cannot read emulator seed ${path}: ${(err as Error).message}`);
    }
  }

  key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  addRepository(
    namespace: string,
    name: string,
    extra: { description?: string; is_private?: boolean; full_description?: string } = {},
  ) {
    const now = new Date().toISOString();
    const repo: EmulatedRepository = {
      namespace,
      name,
      description: extra.description ?? '',
      full_description: extra.full_description ?? null,
      is_private: extra.is_private ?? false,
      date_registered: now,
      last_updated: null,
      star_count: 0,
      pull_count: 0,
      tags: new Map(),
    };
    this.repositories.set(this.key(namespace, name), repo);
    return repo;
  }

  setTag(
    repo: EmulatedRepository,
    name: string,
    digest = `sha256:${'0'.repeat(64)}`,
    size = 0,
    actor = 'system',
  ): EmulatedTag {
    const now = new Date().toISOString();
    const tag = {
      name,
      digest,
      full_size: size,
      last_updated: now,
      last_updater_username: actor,
      tag_status: 'active',
    };
    repo.tags.set(name, tag);
    repo.last_updated = now;
    return tag;
  }

  /** Whether `user` may write to `namespace`: their own, or an org they belong to. */
  canWrite(user: string | undefined, namespace: string): boolean {
    if (!user) return false;
    return user === namespace || (this.orgs.get(namespace)?.members.has(user) ?? false);
  }

  /** The user a password or an active, unexpired PAT belongs to. */
  login(identifier: string, secret: string): string | undefined {
    const user = this.users.get(identifier);
    if (user && user.password === secret) return identifier;
    for (const pat of this.pats.values()) {
      const expired = pat.expires_at !== undefined && Date.parse(pat.expires_at) < Date.now();
      if (pat.owner === identifier && pat.token === secret && pat.is_active && !expired) {
        pat.last_used = new Date().toISOString();
        return identifier;
      }
    }
    return undefined;
  }

  /** The owner of an active, unexpired PAT (the Scout exporter takes a PAT as bearer). */
  patOwner(token: string): string | undefined {
    for (const pat of this.pats.values()) {
      const expired = pat.expires_at !== undefined && Date.parse(pat.expires_at) < Date.now();
      if (pat.token === token && pat.is_active && !expired) return pat.owner;
    }
    return undefined;
  }

  record(action: string, actor: string, data: Record<string, unknown>): void {
    this.audit.push({ action, actor, timestamp: new Date().toISOString(), data });
  }
}
