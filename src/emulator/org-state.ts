/**
 * Organizations in the emulator beyond `state.orgs` (which keeps `members: Set<string>` as the one list of
 * who belongs): roles and join dates, teams and their members, pending invites and settings. The data are
 * plain fields of EmulatorState (Maps, Sets, objects) so they persist with it; `OrgAdmin` holds only the
 * rules over them. Team permissions and immutable-tag rules live on each repository.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatedRepository } from './state.js';

export const EMULATED_ROLES = ['owner', 'editor', 'member'] as const;
export type EmulatedRole = (typeof EMULATED_ROLES)[number];
export type RepoPermission = 'read' | 'write' | 'admin';

export interface EmulatedTeam {
  id: number;
  uuid: string;
  name: string;
  description?: string;
  members: Set<string>;
}

export interface EmulatedInvite {
  id: string;
  org: string;
  inviter_username: string;
  invitee: string;
  team?: string;
  role: EmulatedRole;
  created_at: string;
  resent: number;
}

export interface EmulatedOrgSettings {
  restricted_images: { enabled: boolean; allow_official_images: boolean; allow_verified_publishers: boolean };
}

export interface ImmutableTagRules {
  enabled: boolean;
  rules: string[];
}

export interface OrgMembership {
  role: EmulatedRole;
  date_joined?: string;
}

/** The state's plain, persisted fields this works on (see EmulatorState). */
export interface OrgData {
  orgs: Map<string, { name: string; members: Set<string> }>;
  repositories: Map<string, EmulatedRepository>;
  /** org → member → role and join date; members without an entry are plain members. */
  orgMemberships: Map<string, Map<string, OrgMembership>>;
  /** org → team name → team. */
  orgTeams: Map<string, Map<string, EmulatedTeam>>;
  /** Pending invites by id. */
  orgInvites: Map<string, EmulatedInvite>;
  orgSettings: Map<string, EmulatedOrgSettings>;
  nextTeamId: number;
}

/** The rules of organization data (roles, teams, invites, settings); holds no data of its own. */
export class OrgAdmin {
  readonly #s: OrgData;

  constructor(data: OrgData) {
    this.#s = data;
  }

  get invites(): Map<string, EmulatedInvite> {
    return this.#s.orgInvites;
  }

  /** The org's pending invites. */
  invitesOf(org: string): EmulatedInvite[] {
    return [...this.#s.orgInvites.values()].filter((i) => i.org === org);
  }

  /** The user's role, if they belong (members added without one, e.g. by SCIM, are plain members). */
  role(org: string, user: string | undefined): EmulatedRole | undefined {
    if (!user || !this.#s.orgs.get(org)?.members.has(user)) return undefined;
    return this.#s.orgMemberships.get(org)?.get(user)?.role ?? 'member';
  }

  dateJoined(org: string, user: string): string | undefined {
    return this.#s.orgMemberships.get(org)?.get(user)?.date_joined;
  }

  setMember(org: string, user: string, role: EmulatedRole): void {
    const o = this.#s.orgs.get(org);
    if (!o) throw new Error(`no organization ${org}`);
    o.members.add(user);
    const m = this.#s.orgMemberships.get(org) ?? new Map<string, OrgMembership>();
    this.#s.orgMemberships.set(org, m);
    m.set(user, { role, date_joined: m.get(user)?.date_joined ?? new Date().toISOString() });
  }

  /** Leaves the org and every team in it. */
  removeMember(org: string, user: string): void {
    this.#s.orgs.get(org)?.members.delete(user);
    this.#s.orgMemberships.get(org)?.delete(user);
    for (const team of this.#s.orgTeams.get(org)?.values() ?? []) team.members.delete(user);
  }

  owners(org: string): string[] {
    return [...(this.#s.orgs.get(org)?.members ?? [])].filter((u) => this.role(org, u) === 'owner');
  }

  teamsOf(org: string): Map<string, EmulatedTeam> {
    const t = this.#s.orgTeams.get(org) ?? new Map<string, EmulatedTeam>();
    this.#s.orgTeams.set(org, t);
    return t;
  }

  addTeam(org: string, name: string, description?: string): EmulatedTeam {
    const team = {
      id: this.#s.nextTeamId++,
      uuid: randomUUID(),
      name,
      description,
      members: new Set<string>(),
    };
    this.teamsOf(org).set(name, team);
    return team;
  }

  teamById(org: string, id: number): EmulatedTeam | undefined {
    return [...this.teamsOf(org).values()].find((t) => t.id === id);
  }

  /** Names of the user's teams in the org, sorted. */
  teamNames(org: string, user: string): string[] {
    return [...this.teamsOf(org).values()]
      .filter((t) => t.members.has(user))
      .map((t) => t.name)
      .sort();
  }

  settings(org: string): EmulatedOrgSettings {
    let settings = this.#s.orgSettings.get(org);
    if (!settings) {
      settings = {
        restricted_images: { enabled: false, allow_official_images: true, allow_verified_publishers: true },
      };
      this.#s.orgSettings.set(org, settings);
    }
    return settings;
  }

  /**
   * Repository admin: the user owning the namespace, an org owner or editor, or a member of a team
   * granted `admin` on the repository.
   */
  isRepoAdmin(namespace: string, repo: string, user: string | undefined): boolean {
    if (!user) return false;
    if (user === namespace) return true;
    const role = this.role(namespace, user);
    if (role === 'owner' || role === 'editor') return true;
    if (!role) return false;
    const grants = this.#s.repositories.get(`${namespace}/${repo}`)?.team_permissions;
    return [...(grants ?? [])].some(
      ([id, perm]) => perm === 'admin' && this.teamById(namespace, id)?.members.has(user),
    );
  }
}

/** A rule (RE2 syntax) as a whole-tag matcher; undefined when it does not compile. */
export function compileRule(rule: string): RegExp | undefined {
  const flags = /^\(\?([imsU]+)\)/.exec(rule);
  const body = (flags ? rule.slice(flags[0].length) : rule).replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(`^(?:${body})$`, `u${(flags?.[1] ?? '').replace(/[mU]/g, '')}`);
  } catch {
    return undefined;
  }
}
