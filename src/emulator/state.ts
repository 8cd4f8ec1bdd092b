/** The emulator's state: users, organizations, repositories and tags, and an audit log of mutations. */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ValidationError } from '../core/errors.js';
import {
  compileRule,
  type EmulatedInvite,
  type EmulatedOrgSettings,
  type EmulatedRole,
  type EmulatedTeam,
  type ImmutableTagRules,
  OrgAdmin,
  type OrgMembership,
  type RepoPermission,
} from './org-state.js';
import { deserialiseFields, serialiseFields } from './persist.js';
import { type ScoutSeed, ScoutState } from './scout/seed.js';

export interface SeedUser {
  username: string;
  password: string;
  email?: string;
  /** Turns on two-factor login: `POST /v2/users/2fa-login` accepts this fixed code (emulation of a TOTP). */
  twoFactorCode?: string;
}
export interface SeedRepository {
  namespace: string;
  name: string;
  description?: string;
  is_private?: boolean;
  star_count?: number;
  pull_count?: number;
  tags?: Array<{ name: string; digest?: string; size?: number }>;
}
/** An org member: a username (a plain member) or one with a role. */
export type SeedOrgMember = string | { username: string; role?: EmulatedRole };
export interface SeedOrg {
  name: string;
  members?: SeedOrgMember[];
  teams?: Array<{ name: string; members?: string[] }>;
}
/** Where a repository's pushes (and tag deletes) are delivered, as Docker Hub webhooks. */
export interface EmulatedWebhook {
  /** `namespace/name`. */
  repository: string;
  url: string;
  /** Signs deliveries (`X-Hub-Signature-256`) when set; at least 16 characters. */
  secret?: string;
}

export interface Seed {
  users?: SeedUser[];
  orgs?: SeedOrg[];
  repositories?: SeedRepository[];
  webhooks?: EmulatedWebhook[];
  /** SCIM provisioning for one organization, reached with this bearer token (not a Hub JWT). */
  scim?: { org: string; token: string };
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
  /** Team id → permission (CreateRepositoryGroup). */
  team_permissions?: Map<number, RepoPermission>;
  immutable_tags?: ImmutableTagRules;
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

export interface EmulatedOrgTokenResource {
  type: string;
  path: string;
  scopes: string[];
}

export interface EmulatedOrgToken {
  id: string;
  org: string;
  token: string;
  label: string;
  description?: string;
  created_by: string;
  is_active: boolean;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  resources: EmulatedOrgTokenResource[];
}

/** What SCIM knows about a user beyond the Hub account: the IdP's name and the record's dates. */
export interface ScimProfile {
  givenName?: string;
  familyName?: string;
  created: string;
  lastModified: string;
}

/**
 * One audit-log event. The account it belongs to is read from `data`: `org`, `account` or `namespace`,
 * else the namespace of `repository` (`ns/name`), else the actor's own account.
 */
export interface AuditEntry {
  action: string;
  actor: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** What a login matched: the account, and the credential (the PAT itself when it was one). */
export interface LoginMatch {
  account: string;
  via: 'password' | 'pat' | 'oat';
  pat?: EmulatedPat;
}

/** Whether a PAT or organization access token may be used: active, and not past its expiry if it has one. */
function usable(t: { is_active: boolean; expires_at?: string | null }): boolean {
  return t.is_active && !(t.expires_at && Date.parse(t.expires_at) < Date.now());
}

export class EmulatorState {
  readonly users = new Map<string, SeedUser & { uuid: string }>();
  readonly orgs = new Map<string, { name: string; members: Set<string> }>();
  readonly repositories = new Map<string, EmulatedRepository>();
  readonly audit: AuditEntry[] = [];
  readonly pats = new Map<string, EmulatedPat>();
  /** org → member → role and join date (`orgs` keeps who belongs; no entry means a plain member). */
  readonly orgMemberships = new Map<string, Map<string, OrgMembership>>();
  /** org → team name → team (Docker's "groups"). */
  readonly orgTeams = new Map<string, Map<string, EmulatedTeam>>();
  /** Pending invites by id. */
  readonly orgInvites = new Map<string, EmulatedInvite>();
  readonly orgSettings = new Map<string, EmulatedOrgSettings>();
  nextTeamId = 1;
  // Rules only, over the fields above: private, so that state stays plain data.
  readonly #orgAdmin = new OrgAdmin(this);
  readonly webhooks: EmulatedWebhook[] = [];
  /** Organization access tokens by id. */
  readonly orgTokens = new Map<string, EmulatedOrgToken>();
  /** SCIM configuration (from the seed), its profiles by username, and users it deactivated. */
  readonly scim: { org: string; token: string } | undefined;
  readonly scimProfiles = new Map<string, ScimProfile>();
  /** Deactivated through SCIM: removed from the org, still known to the IdP so it can reactivate them. */
  readonly scimInactive = new Set<string>();
  readonly scout: ScoutState;
  /** Tokens carry the generation they were issued in; `revokeTokens()` refuses all earlier ones. */
  tokenGeneration = 0;

  /** Called after every recorded mutation (persistence); not part of the state. */
  readonly #listeners = new Set<() => void>();

  /** Roles, teams, invites and settings of organizations, and who administers a repository. */
  get orgAdmin(): OrgAdmin {
    return this.#orgAdmin;
  }

  /** Simulates revocation of every JWT issued so far (the next call with one gets 401). */
  revokeTokens(): void {
    this.tokenGeneration++;
  }

  constructor(seed: Seed = {}) {
    this.scout = new ScoutState(seed.scout);
    for (const u of seed.users ?? []) this.users.set(u.username, { ...u, uuid: randomUUID() });
    for (const o of seed.orgs ?? []) {
      this.orgs.set(o.name, { name: o.name, members: new Set() });
      for (const m of o.members ?? []) {
        const { username, role } = typeof m === 'string' ? { username: m, role: undefined } : m;
        this.orgAdmin.setMember(o.name, username, role ?? 'member');
      }
      for (const t of o.teams ?? []) {
        const team = this.orgAdmin.addTeam(o.name, t.name);
        for (const u of t.members ?? []) {
          if (!this.orgAdmin.role(o.name, u)) this.orgAdmin.setMember(o.name, u, 'member');
          team.members.add(u);
        }
      }
    }
    this.scim = seed.scim ? { ...seed.scim } : undefined;
    if (this.scim && !this.orgs.has(this.scim.org))
      this.orgs.set(this.scim.org, { name: this.scim.org, members: new Set() });
    for (const r of seed.repositories ?? []) {
      const repo = this.addRepository(r.namespace, r.name, {
        description: r.description,
        is_private: r.is_private,
      });
      repo.star_count = r.star_count ?? 0;
      repo.pull_count = r.pull_count ?? 0;
      for (const t of r.tags ?? []) this.setTag(repo, t.name, t.digest, t.size, 'seed');
    }
    this.webhooks.push(...(seed.webhooks ?? []).map((w) => ({ ...w })));
  }

  /** The whole state as a JSON document (users, repositories, tokens, audit log: everything). */
  serialise(): Record<string, unknown> {
    return serialiseFields(this);
  }

  /** A state from a document written by `serialise()`. */
  static deserialise(doc: unknown): EmulatorState {
    const state = new EmulatorState();
    deserialiseFields(state, doc);
    return state;
  }

  /** Calls `listener` after every mutation; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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

  /**
   * Whether the repository's immutable-tag rules protect this tag from being deleted or overwritten.
   * Enabled with no rules means every tag (Hub's "all tags are immutable"); otherwise a rule must match
   * the whole tag.
   */
  isImmutableTag(namespace: string, name: string, tag: string): boolean {
    const settings = this.repositories.get(this.key(namespace, name))?.immutable_tags;
    if (!settings?.enabled) return false;
    if (settings.rules.length === 0) return true;
    return settings.rules.some((r) => compileRule(r)?.test(tag) ?? false);
  }

  /**
   * The account a secret logs in as: a user's password or active, unexpired PAT (identifier: the
   * username), or an organization's active, unexpired organization access token (identifier: the org),
   * with what matched.
   */
  login(identifier: string, secret: string): LoginMatch | undefined {
    const account = identifier; // the username, or the org of an organization access token
    const user = this.users.get(identifier);
    if (user && user.password === secret) return { account, via: 'password' };
    for (const pat of this.pats.values()) {
      if (pat.owner === identifier && pat.token === secret && usable(pat)) {
        pat.last_used = new Date().toISOString();
        return { account, via: 'pat', pat };
      }
    }
    for (const oat of this.orgTokens.values()) {
      if (oat.org === identifier && oat.token === secret && usable(oat)) {
        oat.last_used_at = new Date().toISOString();
        return { account, via: 'oat' };
      }
    }
    return undefined;
  }

  /** The owner of an active, unexpired PAT (the Scout exporter takes a PAT as bearer). */
  patOwner(token: string): string | undefined {
    for (const pat of this.pats.values()) if (pat.token === token && usable(pat)) return pat.owner;
    return undefined;
  }

  record(action: string, actor: string, data: Record<string, unknown>): void {
    this.audit.push({ action, actor, timestamp: new Date().toISOString(), data });
    for (const listener of this.#listeners) listener();
  }
}
