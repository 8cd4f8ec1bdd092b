/**
 * Teams of an organization. Docker's spec and API call them "groups" (`/v2/orgs/{org}/groups`, spec tag
 * `groups`); the SDK says teams, as Docker Hub's UI does.
 */
import type { APIPromise } from '../core/api-promise.js';
import type { PagedList } from '../core/pagination.js';
import type { HubClient } from './client.js';
import { assertName } from './org-roles.js';
import { path } from './path.js';
import { teamMemberSchema, teamSchema } from './response-schemas.js';
import type { HubSchemas, Lenient, SpecQuery } from './spec-types.js';
import { assertPaging } from './validation.js';

/** A team: the spec's `org_group` (Docker's API says "group"); `id` and `name` are relied on. */
export type Team = Lenient<HubSchemas['org_group'], 'id' | 'name'>;

/** A team member: the spec's `group_member` (`email` is only shown to owners). */
export type TeamMember = Lenient<HubSchemas['group_member'], 'username'>;

/** The spec's query parameters of `GET /v2/orgs/{org_name}/groups`: `username` keeps the teams that user is in. */
export type TeamListFilters = SpecQuery<'/v2/orgs/{org_name}/groups', 'get'>;

export class TeamMembers {
  constructor(private readonly hub: HubClient) {}

  list(
    org: string,
    team: string,
    query: SpecQuery<'/v2/orgs/{org_name}/groups/{group_name}/members', 'get'> = {},
  ): PagedList<TeamMember> {
    assertName('organization', org);
    assertName('team', team);
    assertPaging(query);
    return this.hub.list<TeamMember>({
      method: 'GET',
      path: path`/v2/orgs/${org}/groups/${team}/members`,
      query,
      operation: 'docker.org.team.member.list',
      schema: teamMemberSchema,
      attributes: { org, team },
    });
  }

  /** `member`: a Docker ID (or email) of someone already in the organization. */
  async add(org: string, team: string, member: string): Promise<void> {
    assertName('organization', org);
    assertName('team', team);
    assertName('member', member);
    await this.hub.call<void>({
      method: 'POST',
      path: path`/v2/orgs/${org}/groups/${team}/members`,
      body: { member },
      operation: 'docker.org.team.member.add',
      attributes: { org, team },
    });
  }

  /** Destructive: the user loses the team's repository permissions. */
  async remove(org: string, team: string, username: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`removing ${username} from team ${org}/${team}`);
    assertName('organization', org);
    assertName('team', team);
    assertName('username', username);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/orgs/${org}/groups/${team}/members/${username}`,
      operation: 'docker.org.team.member.remove',
      attributes: { org, team },
    });
  }
}

export class OrgTeams {
  readonly members: TeamMembers;

  constructor(private readonly hub: HubClient) {
    this.members = new TeamMembers(hub);
  }

  list(org: string, filters: TeamListFilters = {}): PagedList<Team> {
    assertName('organization', org);
    assertPaging(filters);
    return this.hub.list<Team>({
      method: 'GET',
      path: path`/v2/orgs/${org}/groups`,
      query: { ...filters },
      operation: 'docker.org.team.list',
      schema: teamSchema,
      attributes: { org },
    });
  }

  create(org: string, name: string, details: { description?: string } = {}): APIPromise<Team> {
    assertName('organization', org);
    assertName('team', name);
    return this.hub.call<Team>({
      method: 'POST',
      path: path`/v2/orgs/${org}/groups`,
      body: { name, description: details.description },
      operation: 'docker.org.team.create',
      schema: teamSchema,
      attributes: { org, team: name },
    });
  }

  get(org: string, team: string): APIPromise<Team> {
    assertName('organization', org);
    assertName('team', team);
    return this.hub.call<Team>({
      method: 'GET',
      path: path`/v2/orgs/${org}/groups/${team}`,
      operation: 'docker.org.team.get',
      schema: teamSchema,
      attributes: { org, team },
    });
  }

  /** PUT: replaces the team's details whole (its name, and its description: left out, it is cleared). */
  replace(org: string, team: string, details: { name: string; description?: string }): APIPromise<Team> {
    assertName('organization', org);
    assertName('team', team);
    assertName('team', details.name);
    return this.hub.call<Team>({
      method: 'PUT',
      path: path`/v2/orgs/${org}/groups/${team}`,
      body: { name: details.name, description: details.description },
      operation: 'docker.org.team.replace',
      schema: teamSchema,
      attributes: { org, team },
    });
  }

  /** PATCH: changes only the fields given. */
  update(org: string, team: string, changes: { name?: string; description?: string }): APIPromise<Team> {
    assertName('organization', org);
    assertName('team', team);
    if (changes.name !== undefined) assertName('team', changes.name);
    return this.hub.call<Team>({
      method: 'PATCH',
      path: path`/v2/orgs/${org}/groups/${team}`,
      body: changes,
      operation: 'docker.org.team.update',
      schema: teamSchema,
      attributes: { org, team },
    });
  }

  /** Destructive: members leave the team and the team's repository permissions go with it. */
  async delete(org: string, team: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`deleting team ${org}/${team}`);
    assertName('organization', org);
    assertName('team', team);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/orgs/${org}/groups/${team}`,
      operation: 'docker.org.team.delete',
      attributes: { org, team },
    });
  }
}
