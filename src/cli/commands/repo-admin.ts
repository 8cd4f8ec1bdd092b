/** `repo grant` (team access) and `repo immutable-tags` (show, set, verify). */
import { ValidationError } from '../../core/errors.js';
import {
  assertImmutableTagRule,
  type HubClient,
  REPOSITORY_PERMISSIONS,
  type RepositoryPermission,
  type RepositoryTeamGrant,
} from '../../hub/index.js';
import { keyValues } from '../render.js';
import { splitRepo } from './hub.js';
import type { CommandResult } from './registry-read.js';

/** TEAM is a team name, or its numeric id. */
export async function repoGrantCommand(
  hub: HubClient,
  arg: string,
  team: string,
  permission: string,
): Promise<CommandResult<RepositoryTeamGrant>> {
  const { namespace, name } = splitRepo(arg);
  if (!REPOSITORY_PERMISSIONS.includes(permission as RepositoryPermission))
    throw new ValidationError(`PERMISSION must be ${REPOSITORY_PERMISSIONS.join(', ')}, got "${permission}"`);
  const id = /^\d+$/.test(team) ? Number(team) : (await hub.orgs.teams.get(namespace, team)).id;
  const data = await hub.repositories.permissions.grantTeam(
    namespace,
    name,
    id,
    permission as RepositoryPermission,
  );
  return {
    data,
    text: () => `team ${data.group_name ?? team} now has ${permission} access to ${namespace}/${name}\n`,
  };
}

interface ImmutableView {
  repository: string;
  enabled: boolean;
  rules: string[];
}

function immutableText(v: ImmutableView): string {
  return keyValues([
    ['Repository', v.repository],
    ['Immutable tags', v.enabled ? (v.rules.length ? 'on (tags matching a rule)' : 'on (every tag)') : 'off'],
    ['Rules', v.rules.length ? v.rules.join('  ') : undefined],
  ]);
}

async function currentSettings(hub: HubClient, namespace: string, name: string) {
  const repo = await hub.repositories.get(namespace, name);
  const s = repo.immutable_tags_settings as { enabled?: boolean; rules?: string[] } | undefined;
  return { enabled: s?.enabled ?? false, rules: s?.rules ?? [] };
}

/**
 * Without flags, shows the settings. `--enable`/`--disable` switch immutability and keep the rules;
 * `--rule` (repeatable) replaces them.
 */
export async function repoImmutableTagsCommand(
  hub: HubClient,
  arg: string,
  flags: { enable?: boolean; disable?: boolean; rule?: string[] },
): Promise<CommandResult<ImmutableView>> {
  const { namespace, name } = splitRepo(arg);
  if (flags.enable && flags.disable) throw new ValidationError('give --enable or --disable, not both');
  for (const rule of flags.rule ?? []) assertImmutableTagRule(rule);
  const repository = `${namespace}/${name}`;
  const current = await currentSettings(hub, namespace, name);
  if (!flags.enable && !flags.disable && !flags.rule) {
    const data = { repository, ...current };
    return { data, text: () => immutableText(data) };
  }
  const enabled = flags.enable ? true : flags.disable ? false : current.enabled;
  const rules = flags.rule ?? current.rules;
  const updated = await hub.repositories.immutableTags.update(namespace, name, {
    immutable_tags: enabled,
    immutable_tags_rules: rules,
  });
  const s = updated.immutable_tags_settings as { enabled?: boolean; rules?: string[] } | undefined;
  const data = { repository, enabled: s?.enabled ?? enabled, rules: s?.rules ?? rules };
  return { data, text: () => immutableText(data) };
}

export async function repoImmutableVerifyCommand(
  hub: HubClient,
  arg: string,
  regex: string,
): Promise<CommandResult<{ repository: string; regex: string; tags: string[] }>> {
  const { namespace, name } = splitRepo(arg);
  const tags = await hub.repositories.immutableTags.verify(namespace, name, regex);
  const data = { repository: `${namespace}/${name}`, regex, tags };
  return {
    data,
    text: () => (tags.length ? `${tags.join('\n')}\n` : `no tag of ${data.repository} matches ${regex}\n`),
  };
}
