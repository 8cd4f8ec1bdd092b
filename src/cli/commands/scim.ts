/** SCIM commands: discovery (config, resource types, schemas) and the organization's provisioned users. */
import { ValidationError } from '../../core/errors.js';
import type {
  ScimClient,
  ScimResourceType,
  ScimSchema,
  ScimServiceProviderConfig,
  ScimUser,
} from '../../hub/index.js';
import { keyValues, table, yesNo } from '../render.js';
import { booleanFlag, integerFlag, listed } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

const supported = (v: unknown) => yesNo((v as { supported?: boolean } | undefined)?.supported);

export async function scimConfigCommand(scim: ScimClient): Promise<CommandResult<ScimServiceProviderConfig>> {
  const data = await scim.serviceProviderConfig();
  const auth = data.authenticationSchemes as { name?: string } | Array<{ name?: string }> | undefined;
  return {
    data,
    text: () =>
      keyValues([
        ['Filter', supported(data.filter)],
        ['Sort', supported(data.sort)],
        ['Patch', supported(data.patch)],
        ['Bulk', supported(data.bulk)],
        ['Change password', supported(data.changePassword)],
        ['ETag', supported(data.etag)],
        ['Authentication', Array.isArray(auth) ? auth.map((a) => a.name).join(', ') : auth?.name],
      ]),
  };
}

export async function scimResourceTypesCommand(
  scim: ScimClient,
  name: string | undefined,
): Promise<CommandResult<ScimResourceType | ScimResourceType[]>> {
  const data = name ? [await scim.resourceType(name)] : await scim.resourceTypes();
  return {
    data: name ? (data[0] as ScimResourceType) : data,
    text: () =>
      table(
        ['ID', 'ENDPOINT', 'SCHEMA'],
        data.map((r) => [r.id, r.endpoint, r.schema]),
      ),
  };
}

export async function scimSchemasCommand(
  scim: ScimClient,
  id: string | undefined,
): Promise<CommandResult<ScimSchema | ScimSchema[]>> {
  if (!id) {
    const data = await scim.schemas();
    return {
      data,
      text: () =>
        table(
          ['ID', 'NAME', 'ATTRIBUTES'],
          data.map((s) => [s.id, s.name, s.attributes?.length]),
        ),
    };
  }
  const data = await scim.schema(id);
  const rows = (data.attributes ?? []).map((a) => [
    String(a.name),
    String(a.type),
    a.required ? 'yes' : 'no',
    a.multiValued ? 'yes' : 'no',
    a.mutability === undefined ? undefined : String(a.mutability),
  ]);
  return {
    data,
    text: () => `${data.id}\n${table(['ATTRIBUTE', 'TYPE', 'REQUIRED', 'MULTI', 'MUTABILITY'], rows)}`,
  };
}

const fullName = (u: ScimUser) =>
  [u.name?.givenName, u.name?.familyName].filter(Boolean).join(' ') || undefined;

function userText(u: ScimUser): string {
  return keyValues([
    ['ID', u.id],
    ['User name', u.userName],
    ['Docker ID', u.displayName],
    ['Name', fullName(u)],
    ['Active', yesNo(u.active)],
    ['Emails', u.emails?.map((e) => e.value).join(', ')],
    ['Created', u.meta?.created],
    ['Modified', u.meta?.lastModified],
  ]);
}

export async function scimUserListCommand(
  scim: ScimClient,
  f: { filter?: string; userName?: string; count?: string; all?: boolean },
): Promise<CommandResult<ScimUser[]>> {
  const list = scim.users.list({
    filter: f.filter,
    userName: f.userName,
    count: integerFlag('--count', f.count, 1, 200),
  });
  const data = await listed(list, f.all);
  return {
    data,
    text: () =>
      table(
        ['ID', 'USER NAME', 'DOCKER ID', 'ACTIVE', 'NAME'],
        data.map((u) => [u.id, u.userName, u.displayName, u.active ? 'yes' : 'no', fullName(u)]),
      ),
  };
}

export async function scimUserShowCommand(scim: ScimClient, id: string): Promise<CommandResult<ScimUser>> {
  const data = await scim.users.get(id);
  return { data, text: () => userText(data) };
}

/** A SCIM name only when --given-name or --family-name was given. */
function nameOf(f: { givenName?: string; familyName?: string }) {
  return f.givenName !== undefined || f.familyName !== undefined
    ? { givenName: f.givenName, familyName: f.familyName }
    : undefined;
}

export async function scimUserCreateCommand(
  scim: ScimClient,
  userName: string,
  f: { givenName?: string; familyName?: string; dockerId?: string },
): Promise<CommandResult<ScimUser>> {
  const data = await scim.users.create({ userName, name: nameOf(f), displayName: f.dockerId });
  return { data, text: () => `provisioned ${data.userName} as ${data.displayName}\n${userText(data)}` };
}

/** `active` is parsed by the caller first: deactivating asks for confirmation. */
export function parseActive(v: string | undefined): boolean {
  const active = booleanFlag('--active', v);
  if (active === undefined)
    throw new ValidationError(
      'give --active true or --active false (Docker deactivates a user when it is omitted)',
    );
  return active;
}

export async function scimUserReplaceCommand(
  scim: ScimClient,
  id: string,
  active: boolean,
  f: { givenName?: string; familyName?: string; email?: string },
): Promise<CommandResult<ScimUser>> {
  const data = await scim.users.replace(id, {
    active,
    name: nameOf(f),
    emails: f.email === undefined ? undefined : [{ value: f.email, primary: true }],
  });
  return {
    data,
    text: () => `${active ? 'updated' : 'deactivated'} ${data.userName ?? id}\n${userText(data)}`,
  };
}
