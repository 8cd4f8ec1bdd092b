/** Team commands (Docker's API calls teams "groups"): ORG/TEAM arguments, tables for people. */
import { ValidationError } from '../../core/errors.js';
import type { HubClient, Team, TeamMember } from '../../hub/index.js';
import { keyValues, table } from '../render.js';
import { listed, listPageSize } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

export function splitTeam(arg: string): { org: string; team: string } {
  const m = /^([^/\s]+)\/([^/]+)$/.exec(arg);
  if (!m) throw new ValidationError(`expected ORG/TEAM, got "${arg}"`);
  return { org: m[1] as string, team: m[2] as string };
}

export async function teamListCommand(
  hub: HubClient,
  org: string,
  flags: { search?: string; user?: string; all?: boolean; pageSize?: string },
): Promise<CommandResult<Team[]>> {
  const list = hub.orgs.teams.list(org, {
    search: flags.search,
    username: flags.user,
    page_size: listPageSize(flags),
  });
  const data = await listed(list, flags.all);
  return {
    data,
    text: () =>
      table(
        ['TEAM', 'ID', 'MEMBERS'],
        data.map((t) => [t.name, t.id, t.member_count]),
      ),
  };
}

export async function teamCreateCommand(hub: HubClient, arg: string): Promise<CommandResult<Team>> {
  const { org, team } = splitTeam(arg);
  const data = await hub.orgs.teams.create(org, team);
  return { data, text: () => `created team ${org}/${data.name} (id ${data.id})\n` };
}

export async function teamShowCommand(hub: HubClient, arg: string): Promise<CommandResult<Team>> {
  const { org, team } = splitTeam(arg);
  const data = await hub.orgs.teams.get(org, team);
  return {
    data,
    text: () =>
      keyValues([
        ['Team', `${org}/${data.name}`],
        ['ID', data.id],
        ['UUID', data.uuid],
        ['Members', data.member_count],
      ]),
  };
}

/** PATCH by default; `--replace` sends a PUT, which replaces the team's details whole. */
export async function teamUpdateCommand(
  hub: HubClient,
  arg: string,
  flags: { name?: string; replace?: boolean },
): Promise<CommandResult<Team>> {
  const { org, team } = splitTeam(arg);
  if (!flags.name) throw new ValidationError('nothing to update: give --name NEW_NAME');
  const data = flags.replace
    ? await hub.orgs.teams.replace(org, team, { name: flags.name })
    : await hub.orgs.teams.update(org, team, { name: flags.name });
  return { data, text: () => `renamed team ${org}/${team} to ${org}/${data.name}\n` };
}

export async function teamDeleteCommand(hub: HubClient, arg: string): Promise<CommandResult> {
  const { org, team } = splitTeam(arg);
  await hub.orgs.teams.delete(org, team);
  return { data: { team: `${org}/${team}`, deleted: true }, text: () => `deleted team ${org}/${team}\n` };
}

export async function teamMemberListCommand(
  hub: HubClient,
  arg: string,
  flags: { search?: string; all?: boolean; pageSize?: string },
): Promise<CommandResult<TeamMember[]>> {
  const { org, team } = splitTeam(arg);
  const list = hub.orgs.teams.members.list(org, team, {
    search: flags.search,
    page_size: listPageSize(flags),
  });
  const data = await listed(list, flags.all);
  return {
    data,
    text: () =>
      table(
        ['USERNAME', 'EMAIL', 'JOINED'],
        data.map((m) => [m.username, m.email || undefined, m.date_joined]),
      ),
  };
}

export async function teamMemberAddCommand(
  hub: HubClient,
  arg: string,
  user: string,
): Promise<CommandResult> {
  const { org, team } = splitTeam(arg);
  await hub.orgs.teams.members.add(org, team, user);
  return {
    data: { team: `${org}/${team}`, member: user, added: true },
    text: () => `added ${user} to ${org}/${team}\n`,
  };
}

export async function teamMemberRemoveCommand(
  hub: HubClient,
  arg: string,
  user: string,
): Promise<CommandResult> {
  const { org, team } = splitTeam(arg);
  await hub.orgs.teams.members.remove(org, team, user);
  return {
    data: { team: `${org}/${team}`, member: user, removed: true },
    text: () => `removed ${user} from ${org}/${team}\n`,
  };
}
