/** Audit log commands: an account's events (newest first) and the actions to filter them by. */
import type { AuditLogActions, AuditLogEvent, HubClient } from '../../hub/index.js';
import { table } from '../render.js';
import { listed, listPageSize } from './cli-values.js';
import type { CommandResult } from './registry-read.js';

export interface AuditListFlags {
  action?: string;
  actor?: string;
  name?: string;
  from?: string;
  to?: string;
  all?: boolean;
  pageSize?: string;
}

export async function auditListCommand(
  hub: HubClient,
  account: string,
  f: AuditListFlags,
): Promise<CommandResult<AuditLogEvent[]>> {
  const list = hub.auditLogs.list(account, {
    action: f.action,
    actor: f.actor,
    name: f.name,
    from: f.from,
    to: f.to,
    page_size: listPageSize(f),
  });
  const data = await listed(list, f.all);
  return {
    data,
    text: () =>
      table(
        ['TIME', 'ACTION', 'ACTOR', 'NAME', 'DESCRIPTION'],
        data.map((e) => [e.timestamp, e.action, e.actor, e.name, e.action_description?.trim()]),
      ),
  };
}

export async function auditActionsCommand(
  hub: HubClient,
  account: string,
): Promise<CommandResult<AuditLogActions>> {
  const data = await hub.auditLogs.actions(account);
  const rows = Object.entries(data.actions ?? {}).flatMap(([group, g]) =>
    (g.actions ?? []).map((a) => [`${group}.${a.name}`, g.label, a.label]),
  );
  return { data, text: () => table(['ACTION', 'GROUP', 'LABEL'], rows) };
}
