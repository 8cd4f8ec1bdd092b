/** Organization commands: settings, members (list, CSV export, role, removal) and invites. */

import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { replaceFile } from '../../core/atomic-file.js';
import { ValidationError } from '../../core/errors.js';
import type {
  BulkInviteResult,
  HubClient,
  Invite,
  MemberType,
  OrgMember,
  OrgRole,
  OrgSettings,
  OrgSettingsChanges,
} from '../../hub/index.js';
import { keyValues, table, yesNo } from '../render.js';
import { listed, listPageSize } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

function onOff(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (/^(on|true|yes)$/i.test(value)) return true;
  if (/^(off|false|no)$/i.test(value)) return false;
  throw new ValidationError(`${flag} takes on or off, got "${value}"`);
}

export interface SettingsFlags {
  restrictedImages?: string;
  allowOfficial?: string;
  allowVerified?: string;
}

/** The settings change the flags ask for; checked before anyone is asked to confirm it. */
export function settingsChanges(flags: SettingsFlags): OrgSettingsChanges {
  const restricted_images = {
    enabled: onOff('--restricted-images', flags.restrictedImages),
    allow_official_images: onOff('--allow-official', flags.allowOfficial),
    allow_verified_publishers: onOff('--allow-verified', flags.allowVerified),
  };
  if (Object.values(restricted_images).every((v) => v === undefined))
    throw new ValidationError(
      'nothing to change: give --restricted-images, --allow-official or --allow-verified',
    );
  return { restricted_images };
}

function settingsText(org: string, s: OrgSettings): string {
  const r = s.restricted_images;
  return keyValues([
    ['Organization', org],
    ['Restricted images', r ? (r.enabled ? 'on' : 'off') : undefined],
    ['Allow official images', yesNo(r?.allow_official_images)],
    ['Allow verified publishers', yesNo(r?.allow_verified_publishers)],
  ]);
}

export async function settingsShowCommand(hub: HubClient, org: string): Promise<CommandResult<OrgSettings>> {
  const data = await hub.orgs.settings.get(org);
  return { data, text: () => settingsText(org, data) };
}

export async function settingsSetCommand(
  hub: HubClient,
  org: string,
  changes: OrgSettingsChanges,
): Promise<CommandResult<OrgSettings>> {
  const data = await hub.orgs.settings.update(org, changes);
  return { data, text: () => `updated the settings of ${org}\n${settingsText(org, data)}` };
}

export interface MemberListFlags {
  role?: string;
  search?: string;
  type?: string;
  invites?: boolean;
  all?: boolean;
  pageSize?: string;
}

export async function memberListCommand(
  hub: HubClient,
  org: string,
  flags: MemberListFlags,
): Promise<CommandResult<OrgMember[]>> {
  const list = hub.orgs.members.list(org, {
    role: flags.role as OrgRole | undefined,
    search: flags.search,
    type: flags.type as MemberType | undefined,
    invites: flags.invites,
    page_size: listPageSize(flags),
  });
  const data = await listed(list, flags.all);
  return {
    data,
    text: () =>
      table(
        ['USERNAME', 'ROLE', 'TEAMS', 'EMAIL', 'JOINED'],
        data.map((m) => [
          m.username || undefined,
          m.role,
          m.groups?.length ? m.groups.join(',') : undefined,
          m.email || undefined,
          m.date_joined,
        ]),
      ),
  };
}

/** Streams the CSV to a temp file beside the target and renames it only when complete. */
export async function memberExportCommand(
  hub: HubClient,
  org: string,
  output: string | undefined,
): Promise<CommandResult> {
  if (!output) {
    const csv = await hub.orgs.members.export(org);
    return { data: { org, csv }, text: () => csv };
  }
  await mkdir(dirname(output) || '.', { recursive: true });
  let lines = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const byte of chunk) if (byte === 0x0a) lines++;
      done(null, chunk);
    },
  });
  await replaceFile(output, async (temp) =>
    pipeline(await hub.orgs.members.exportStream(org), counter, createWriteStream(temp, { flags: 'wx' })),
  );
  const rows = Math.max(0, lines - 1);
  return {
    data: { org, path: output, rows },
    text: () =>
      `wrote ${rows} row${rows === 1 ? '' : 's'} (members and pending invites) of ${org} to ${output}\n`,
  };
}

export async function memberSetRoleCommand(
  hub: HubClient,
  org: string,
  user: string,
  role: string,
): Promise<CommandResult<OrgMember>> {
  const data = await hub.orgs.members.updateRole(org, user, role as OrgRole);
  return { data, text: () => `${user} is now ${role} of ${org}\n` };
}

export async function memberRemoveCommand(hub: HubClient, org: string, user: string): Promise<CommandResult> {
  await hub.orgs.members.remove(org, user);
  return { data: { org, username: user, removed: true }, text: () => `removed ${user} from ${org}\n` };
}

export async function inviteListCommand(hub: HubClient, org: string): Promise<CommandResult<Invite[]>> {
  const data = await hub.orgs.invites.list(org);
  return {
    data,
    text: () =>
      data.length === 0
        ? `no pending invites for ${org}\n`
        : table(
            ['ID', 'INVITEE', 'TEAM', 'INVITED BY', 'CREATED'],
            data.map((i) => [i.id, i.invitee, i.team || undefined, i.inviter_username, i.created_at]),
          ),
  };
}

export async function inviteCancelCommand(hub: HubClient, id: string): Promise<CommandResult> {
  await hub.orgs.invites.cancel(id);
  return { data: { id, cancelled: true }, text: () => `cancelled invite ${id}\n` };
}

export async function inviteResendCommand(hub: HubClient, id: string): Promise<CommandResult> {
  await hub.orgs.invites.resend(id);
  return { data: { id, resent: true }, text: () => `resent invite ${id}\n` };
}

export async function inviteSendCommand(
  hub: HubClient,
  org: string,
  invitees: string[],
  flags: { role?: string; team?: string; dryRun?: boolean },
): Promise<CommandResult<BulkInviteResult[]>> {
  if (!flags.role) throw new ValidationError('give --role (owner, editor or member)');
  const data = await hub.orgs.invites.bulk({
    org,
    role: flags.role as OrgRole,
    team: flags.team,
    invitees,
    dry_run: flags.dryRun || undefined,
  });
  return {
    data,
    text: () =>
      `${flags.dryRun ? 'dry run: nobody was invited\n' : ''}${table(
        ['INVITEE', 'STATUS', 'INVITE'],
        data.map((r) => [r.invitee, r.status, r.invite?.id]),
      )}`,
  };
}
