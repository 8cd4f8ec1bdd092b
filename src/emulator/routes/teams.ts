/**
 * Teams of an organization, which Docker's API calls groups: members list them, owners create, rename and
 * delete them and change who is in them. A team's members must belong to the organization.
 */
import {
  badRequest,
  type Ctx,
  type EmulatorEnv,
  type Json,
  notFound,
  paginate,
  type Route,
  route,
  send,
} from '../http.js';
import type { EmulatedTeam } from '../org-state.js';
import { matchesSearch, orgAccess, teamMemberView } from './org-access.js';

function teamView(t: EmulatedTeam): Json {
  return {
    id: t.id,
    uuid: t.uuid,
    name: t.name,
    description: t.description ?? '',
    member_count: t.members.size,
  };
}

export function teamRoutes({ state }: EmulatorEnv): Route[] {
  const teams = (org: string) => state.orgAdmin.teamsOf(org);
  const find = (ctx: Ctx, org: string, name: string): EmulatedTeam | undefined => {
    const team = teams(org).get(name);
    if (!team) notFound(ctx, `team ${org}/${name}`);
    return team;
  };
  /** Why `name` cannot be a new team's name in the org, if it cannot. */
  const badName = (org: string, name: string) => {
    if (!name.trim() || name.includes('/')) return `invalid team name "${name}"`;
    if (teams(org).has(name)) return `team ${org}/${name} already exists`;
    return undefined;
  };
  const rename = (ctx: Ctx, org: string, team: EmulatedTeam, name: string | undefined) => {
    if (name === undefined || name === team.name) return true;
    const problem = badName(org, name);
    if (problem) return void badRequest(ctx, problem);
    teams(org).delete(team.name);
    for (const i of state.orgAdmin.invitesOf(org)) if (i.team === team.name) i.team = name;
    team.name = name;
    teams(org).set(name, team);
    return true;
  };
  /** PUT replaces the details whole (a description left out is cleared); PATCH changes what it names. */
  const update = (ctx: Ctx, p: Record<'org' | 'group', string>) => {
    const org = p.org;
    const access = orgAccess(state, ctx, org, 'owner');
    if (!access) return;
    const team = find(ctx, org, p.group);
    if (!team) return;
    const from = team.name;
    const changes = (ctx.body ?? {}) as { name?: string; description?: string };
    if (!rename(ctx, org, team, changes.name)) return;
    if (ctx.req.method === 'PUT') team.description = changes.description;
    else if (changes.description !== undefined) team.description = changes.description;
    state.record('team.update', access.user, { org, team: from, changes });
    send(ctx.res, 200, teamView(team));
  };

  return [
    route('GET', '/v2/orgs/:org/groups', (ctx, p) => {
      const org = p.org;
      if (!orgAccess(state, ctx, org, 'member')) return;
      const username = ctx.url.searchParams.get('username');
      const search = (ctx.url.searchParams.get('search') ?? '').toLowerCase();
      const list = [...teams(org).values()]
        .filter((t) => (!username || t.members.has(username)) && t.name.toLowerCase().includes(search))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(teamView);
      send(ctx.res, 200, paginate(list, ctx.url));
    }),
    route('POST', '/v2/orgs/:org/groups', (ctx, p) => {
      const org = p.org;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      const body = ctx.body as { name?: string; description?: string } | undefined;
      const name = body?.name ?? '';
      const problem = badName(org, name);
      if (problem) return badRequest(ctx, problem);
      const team = state.orgAdmin.addTeam(org, name, body?.description);
      state.record('team.create', access.user, { org, team: name, id: team.id });
      send(ctx.res, 201, teamView(team));
    }),
    route('GET', '/v2/orgs/:org/groups/:group', (ctx, p) => {
      const org = p.org;
      if (!orgAccess(state, ctx, org, 'member')) return;
      const team = find(ctx, org, p.group);
      if (team) send(ctx.res, 200, teamView(team));
    }),
    route('PUT', '/v2/orgs/:org/groups/:group', update),
    route('PATCH', '/v2/orgs/:org/groups/:group', update),
    route('DELETE', '/v2/orgs/:org/groups/:group', (ctx, p) => {
      const org = p.org;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      const team = find(ctx, org, p.group);
      if (!team) return;
      teams(org).delete(team.name);
      // Its repository permissions go with it.
      for (const repo of state.repositories.values())
        if (repo.namespace === org) repo.team_permissions?.delete(team.id);
      state.record('team.delete', access.user, { org, team: team.name, id: team.id });
      send(ctx.res, 204);
    }),
    route('GET', '/v2/orgs/:org/groups/:group/members', (ctx, p) => {
      const org = p.org;
      const access = orgAccess(state, ctx, org, 'member');
      if (!access) return;
      const team = find(ctx, org, p.group);
      if (!team) return;
      const owner = access.role === 'owner';
      const search = (ctx.url.searchParams.get('search') ?? '').toLowerCase();
      const list = [...team.members]
        .sort()
        .map((u) => teamMemberView(state, org, u, owner))
        .filter((m) => matchesSearch(m, search, owner));
      send(ctx.res, 200, paginate(list, ctx.url));
    }),
    route('POST', '/v2/orgs/:org/groups/:group/members', (ctx, p) => {
      const org = p.org;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      const team = find(ctx, org, p.group);
      if (!team) return;
      const member = (ctx.body as { member: string }).member;
      const username = state.users.has(member)
        ? member
        : ([...state.users.values()].find((u) => u.email && u.email === member)?.username ?? member);
      if (!state.orgAdmin.role(org, username)) return notFound(ctx, `member ${member} of ${org}`);
      if (!team.members.has(username)) {
        team.members.add(username);
        state.record('team.member.add', access.user, { org, team: team.name, username });
      }
      send(ctx.res, 200);
    }),
    route('DELETE', '/v2/orgs/:org/groups/:group/members/:username', (ctx, p) => {
      const org = p.org;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      const team = find(ctx, org, p.group);
      if (!team) return;
      const username = p.username;
      if (!team.members.has(username)) return notFound(ctx, `member ${username} of team ${org}/${team.name}`);
      team.members.delete(username);
      state.record('team.member.remove', access.user, { org, team: team.name, username });
      send(ctx.res, 204);
    }),
  ];
}
