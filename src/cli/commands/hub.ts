/** Hub management commands: whoami, repositories and Hub tags (including existence checks). Each returns data and a text form. */
import { ValidationError } from '../../core/errors.js';
import type { HubClient, HubTag, Repository } from '../../hub/index.js';
import { formatBytes, keyValues, table } from '../render.js';
import { listed, listPageSize } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

/** `namespace/name` (a bare name is not enough: Hub repositories always have a namespace). */
export function splitRepo(arg: string): { namespace: string; name: string; tag?: string } {
  const m = /^([a-z0-9][a-z0-9_.-]*)\/([a-z0-9][a-z0-9_.-]*)(?::([\w][\w.-]{0,127}))?$/.exec(arg);
  if (!m)
    throw new ValidationError(
      `expected NAMESPACE/REPOSITORY${arg.includes(':') ? ':TAG' : ''}, got "${arg}"`,
    );
  return { namespace: m[1] as string, name: m[2] as string, tag: m[3] };
}

export async function whoamiCommand(hub: HubClient): Promise<CommandResult> {
  const data = await hub.users.whoami();
  return {
    data,
    text: () =>
      data.username
        ? keyValues([
            ['User', data.username],
            ['Email', data.email],
            ['Token expires', data.expiresAt],
            ['Credentials from', data.source],
          ])
        : 'not logged in (anonymous)\n',
  };
}

/** Exit status of the `exists` commands: scripts write `if dockerhub repo exists acme/app; then …`. */
export const EXIT_DOES_NOT_EXIST = 1;

function existsResult(exists: boolean): CommandResult<{ exists: boolean }> {
  return {
    data: { exists },
    text: () => (exists ? 'yes\n' : 'no\n'),
    exit: exists ? undefined : { code: EXIT_DOES_NOT_EXIST },
  };
}

/** HEAD on the repository: yes when it exists and the caller may see it. */
export async function repoExistsCommand(hub: HubClient, arg: string): Promise<CommandResult> {
  const { namespace, name } = splitRepo(arg);
  return existsResult(await hub.repositories.exists(namespace, name));
}

/** HEAD on the tag, or without one on the tag list: yes when the repository has at least one tag. */
export async function hubTagExistsCommand(hub: HubClient, arg: string): Promise<CommandResult> {
  const { namespace, name, tag } = splitRepo(arg);
  return existsResult(await hub.tags.exists(namespace, name, tag));
}

export async function repoListCommand(
  hub: HubClient,
  namespace: string,
  opts: { all?: boolean; pageSize?: string; name?: string; ordering?: string },
): Promise<CommandResult<Repository[]>> {
  const list = hub.repositories.list({
    namespace,
    page_size: listPageSize(opts),
    name: opts.name,
    ordering: opts.ordering as 'name' | undefined,
  });
  const data = await listed(list, opts.all);
  return {
    data,
    text: () =>
      table(
        ['NAME', 'PRIVATE', 'PULLS', 'STARS', 'UPDATED', 'DESCRIPTION'],
        data.map((r) => [
          `${r.namespace}/${r.name}`,
          r.is_private ? 'yes' : 'no',
          r.pull_count,
          r.star_count,
          r.last_updated ?? undefined,
          r.description || undefined,
        ]),
      ),
  };
}

export async function repoShowCommand(hub: HubClient, arg: string): Promise<CommandResult<Repository>> {
  const { namespace, name } = splitRepo(arg);
  const data = await hub.repositories.get(namespace, name);
  return {
    data,
    text: () =>
      keyValues([
        ['Repository', `${data.namespace}/${data.name}`],
        ['Private', data.is_private ? 'yes' : 'no'],
        ['Description', data.description ?? undefined],
        ['Pulls', data.pull_count],
        ['Stars', data.star_count],
        ['Created', data.date_registered],
        ['Updated', data.last_updated ?? undefined],
      ]),
  };
}

export async function repoCreateCommand(
  hub: HubClient,
  arg: string,
  opts: { description?: string; fullDescription?: string; private?: boolean },
): Promise<CommandResult<Repository>> {
  const { namespace, name } = splitRepo(arg);
  const data = await hub.repositories.create({
    namespace,
    name,
    description: opts.description,
    full_description: opts.fullDescription,
    is_private: opts.private ?? false,
  });
  return {
    data,
    text: () => `created ${data.namespace}/${data.name}${data.is_private ? ' (private)' : ''}\n`,
  };
}

export async function repoUpdateCommand(
  hub: HubClient,
  arg: string,
  opts: { description?: string; fullDescription?: string },
): Promise<CommandResult<Repository>> {
  const { namespace, name } = splitRepo(arg);
  if (opts.description === undefined && opts.fullDescription === undefined) {
    throw new ValidationError('nothing to update: give --description and/or --full-description');
  }
  const data = await hub.repositories.update(namespace, name, {
    description: opts.description,
    full_description: opts.fullDescription,
  });
  return { data, text: () => `updated ${namespace}/${name}\n` };
}

export async function repoDeleteCommand(hub: HubClient, arg: string): Promise<CommandResult> {
  const { namespace, name } = splitRepo(arg);
  await hub.repositories.delete(namespace, name);
  const data = { repository: `${namespace}/${name}`, deleted: true };
  return { data, text: () => `deleted ${namespace}/${name}\n` };
}

export async function hubTagListCommand(
  hub: HubClient,
  arg: string,
  opts: { all?: boolean; pageSize?: string },
): Promise<CommandResult<HubTag[]>> {
  const { namespace, name } = splitRepo(arg);
  const list = hub.tags.list(namespace, name, {
    page_size: listPageSize(opts),
  });
  const data = await listed(list, opts.all);
  return {
    data,
    text: () =>
      table(
        ['TAG', 'DIGEST', 'SIZE', 'UPDATED', 'BY'],
        data.map((t) => [
          t.name,
          t.digest,
          t.full_size === undefined ? undefined : formatBytes(t.full_size),
          t.last_updated ?? undefined,
          t.last_updater_username,
        ]),
      ),
  };
}

export async function hubTagShowCommand(hub: HubClient, arg: string): Promise<CommandResult<HubTag>> {
  const { namespace, name, tag } = splitRepo(arg);
  if (!tag) throw new ValidationError(`expected NAMESPACE/REPOSITORY:TAG, got "${arg}"`);
  const data = await hub.tags.get(namespace, name, tag);
  return {
    data,
    text: () =>
      keyValues([
        ['Tag', `${namespace}/${name}:${data.name}`],
        ['Digest', data.digest],
        ['Size', data.full_size === undefined ? undefined : formatBytes(data.full_size)],
        ['Updated', data.last_updated ?? undefined],
        ['By', data.last_updater_username],
        ['Status', data.tag_status],
      ]),
  };
}

export async function hubTagDeleteCommand(hub: HubClient, arg: string): Promise<CommandResult> {
  const { namespace, name, tag } = splitRepo(arg);
  if (!tag) throw new ValidationError(`expected NAMESPACE/REPOSITORY:TAG, got "${arg}"`);
  await hub.tags.delete(namespace, name, tag);
  const data = { tag: `${namespace}/${name}:${tag}`, deleted: true };
  return { data, text: () => `deleted ${namespace}/${name}:${tag}\n` };
}
