/**
 * Personal and organization access token commands. A new token's plaintext is printed once, by create
 * (in the text, or in the JSON with --json); every other command shows tokens without it.
 */
import { ValidationError } from '../../core/errors.js';
import type {
  AccessToken,
  HubClient,
  OatResourceType,
  OrgAccessToken,
  OrgAccessTokenResource,
  PatScope,
} from '../../hub/index.js';
import { toDateTime } from '../../hub/index.js';
import { keyValues, table, yesNo } from '../render.js';
import { booleanFlag, listed, listPageSize } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

export const ONE_TIME_WARNING = 'Store this token now: Docker Hub will not show it again.\n';

export interface ListFlags {
  all?: boolean;
  pageSize?: string;
}

const expiry = (v: string | undefined) => (v === undefined ? undefined : toDateTime(v, '--expires'));

// ---- personal access tokens ---------------------------------------------------------------------

type Pairs = Array<[string, string | number | undefined]>;

function patPairs(t: AccessToken): Pairs {
  return [
    ['UUID', t.uuid],
    ['Label', t.token_label],
    ['Scopes', t.scopes?.join(', ')],
    ['Active', yesNo(t.is_active)],
    ['Created', t.created_at],
    ['Last used', t.last_used ?? 'never'],
    ['Expires', t.expires_at || 'never'],
  ];
}
const patText = (t: AccessToken) => keyValues(patPairs(t));

export async function tokenListCommand(hub: HubClient, f: ListFlags): Promise<CommandResult<AccessToken[]>> {
  const data = await listed(hub.accessTokens.list({ page_size: listPageSize(f) }), f.all);
  return {
    data,
    text: () =>
      table(
        ['UUID', 'LABEL', 'SCOPES', 'ACTIVE', 'LAST USED', 'EXPIRES'],
        data.map((t) => [
          t.uuid,
          t.token_label,
          t.scopes?.join(','),
          yesNo(t.is_active),
          t.last_used ?? 'never',
          t.expires_at || 'never',
        ]),
      ),
  };
}

export async function tokenCreateCommand(
  hub: HubClient,
  f: { label?: string; scope?: string[]; expires?: string },
): Promise<CommandResult> {
  if (!f.label) throw new ValidationError('give the token a --label');
  const created = await hub.accessTokens.create({
    token_label: f.label,
    scopes: (f.scope ?? []) as PatScope[],
    expires_at: expiry(f.expires),
  });
  const { token, ...fields } = created;
  // The one place the plaintext is revealed: it goes to the user once, then is gone.
  const data = { ...fields, token: token.reveal() };
  return { data, text: () => keyValues([...patPairs(fields as AccessToken), ['Token', data.token]]) };
}

export async function tokenShowCommand(hub: HubClient, uuid: string): Promise<CommandResult<AccessToken>> {
  const data = await hub.accessTokens.get(uuid);
  return { data, text: () => patText(data) };
}

export async function tokenUpdateCommand(
  hub: HubClient,
  uuid: string,
  f: { label?: string; active?: string },
): Promise<CommandResult<AccessToken>> {
  const is_active = booleanFlag('--active', f.active);
  if (f.label === undefined && is_active === undefined)
    throw new ValidationError('nothing to update: give --label and/or --active true|false');
  const data = await hub.accessTokens.update(uuid, { token_label: f.label, is_active });
  return { data, text: () => `updated token ${uuid}\n${patText(data)}` };
}

export async function tokenDeleteCommand(hub: HubClient, uuid: string): Promise<CommandResult> {
  await hub.accessTokens.delete(uuid);
  return { data: { uuid, deleted: true }, text: () => `deleted token ${uuid}\n` };
}

// ---- organization access tokens -----------------------------------------------------------------

const TYPE_ALIASES: Record<string, string> = { repo: 'TYPE_REPO', org: 'TYPE_ORG' };

/** `repo:acme/*=repo-pull,repo-push` → { type: TYPE_REPO, path: acme/*, scopes: [repo-pull, repo-push] }. */
export function parseResource(spec: string): OrgAccessTokenResource {
  const m = /^([A-Za-z_]+):([^=]+)=(.+)$/.exec(spec);
  if (!m)
    throw new ValidationError(
      `--resource must look like repo:ORG/REPO=SCOPE[,SCOPE] or org:ORG=SCOPE, got "${spec}"`,
    );
  const type = TYPE_ALIASES[(m[1] as string).toLowerCase()] ?? (m[1] as string).toUpperCase();
  const scopes = (m[3] as string).split(',').map((s) => s.trim());
  return { type: type as OatResourceType, path: m[2] as string, scopes };
}

const resourcesText = (r: OrgAccessTokenResource[] | undefined) =>
  r?.map((x) => `${x.type} ${x.path} (${x.scopes.join(', ')})`).join('; ');

function oatPairs(t: OrgAccessToken): Pairs {
  return [
    ['ID', t.id],
    ['Label', t.label],
    ['Description', t.description],
    ['Resources', resourcesText(t.resources)],
    ['Active', yesNo(t.is_active)],
    ['Created by', t.created_by],
    ['Created', t.created_at],
    ['Last used', t.last_used_at ?? 'never'],
    ['Expires', t.expires_at ?? 'never'],
  ];
}
const oatText = (t: OrgAccessToken) => keyValues(oatPairs(t));

export async function orgTokenListCommand(
  hub: HubClient,
  org: string,
  f: ListFlags,
): Promise<CommandResult<OrgAccessToken[]>> {
  const data = await listed(hub.orgAccessTokens.list(org, { page_size: listPageSize(f) }), f.all);
  return {
    data,
    text: () =>
      table(
        ['ID', 'LABEL', 'ACTIVE', 'CREATED BY', 'LAST USED', 'EXPIRES'],
        data.map((t) => [
          t.id,
          t.label,
          yesNo(t.is_active),
          t.created_by,
          t.last_used_at ?? 'never',
          t.expires_at ?? 'never',
        ]),
      ),
  };
}

export async function orgTokenCreateCommand(
  hub: HubClient,
  org: string,
  f: { label?: string; description?: string; resource?: string[]; expires?: string },
): Promise<CommandResult> {
  if (!f.label) throw new ValidationError('give the token a --label');
  const created = await hub.orgAccessTokens.create(org, {
    label: f.label,
    description: f.description,
    resources: (f.resource ?? []).map(parseResource),
    expires_at: expiry(f.expires),
  });
  const { token, ...fields } = created;
  const data = { ...fields, token: token.reveal() };
  return { data, text: () => keyValues([...oatPairs(fields), ['Token', data.token]]) };
}

export async function orgTokenShowCommand(
  hub: HubClient,
  org: string,
  id: string,
): Promise<CommandResult<OrgAccessToken>> {
  const data = await hub.orgAccessTokens.get(org, id);
  return { data, text: () => oatText(data) };
}

export async function orgTokenUpdateCommand(
  hub: HubClient,
  org: string,
  id: string,
  f: { label?: string; description?: string; active?: string; resource?: string[] },
): Promise<CommandResult<OrgAccessToken>> {
  const data = await hub.orgAccessTokens.update(org, id, {
    label: f.label,
    description: f.description,
    is_active: booleanFlag('--active', f.active),
    resources: f.resource?.map(parseResource),
  });
  return { data, text: () => `updated token ${id} of ${org}\n${oatText(data)}` };
}

export async function orgTokenDeleteCommand(hub: HubClient, org: string, id: string): Promise<CommandResult> {
  await hub.orgAccessTokens.delete(org, id);
  return { data: { org, id, deleted: true }, text: () => `deleted token ${id} of ${org}\n` };
}
