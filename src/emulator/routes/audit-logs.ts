/**
 * Audit logs: the emulator's own record of mutations (`state.audit`), served newest first in Docker's
 * shape (`logs[{account, action, name, actor, data, timestamp, action_description}]`), filterable by
 * action, name, actor and time window, to the account itself or members of the organization.
 */
import {
  badRequest,
  type Ctx,
  type EmulatorEnv,
  forbidden,
  type Json,
  notFound,
  paginate,
  type Route,
  route,
  send,
  unauthorized,
} from '../http.js';
import type { AuditEntry, EmulatorState } from '../state.js';

/** Labels of the actions the emulator records; an action seen but not listed gets a generated label. */
const GROUP_LABELS: Record<string, string> = {
  org: 'Organization',
  pat: 'Personal access token',
  repo: 'Repository',
  scim: 'SCIM',
  tag: 'Tag',
};
const ACTION_LABELS: Record<string, string> = {
  'org.access_token.create': 'Access token created',
  'org.access_token.update': 'Access token updated',
  'org.access_token.delete': 'Access token deleted',
  'org.member.add': 'Organization member added',
  'org.member.remove': 'Organization member removed',
  'pat.create': 'Personal access token created',
  'pat.update': 'Personal access token updated',
  'pat.delete': 'Personal access token deleted',
  'repo.create': 'Repository created',
  'repo.update': 'Repository updated',
  'repo.delete': 'Repository deleted',
  'scim.user.update': 'SCIM user updated',
  'tag.delete': 'Tag deleted',
};

const labelOf = (action: string) =>
  ACTION_LABELS[action] ?? action.replace(/[._]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** The account an entry belongs to (see AuditEntry). */
function auditAccount(e: AuditEntry): string {
  const d = e.data;
  return str(d.org) ?? str(d.account) ?? str(d.namespace) ?? str(d.repository)?.split('/')[0] ?? e.actor;
}

/** What the event is about: the repository, the member, else the account. */
function auditName(e: AuditEntry, account: string): string {
  const d = e.data;
  return str(d.repository) ?? str(d.member) ?? str(d.username) ?? str(d.name) ?? account;
}

/** Docker's `data` is a map of strings. */
function flatData(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function view(e: AuditEntry): Json {
  const account = auditAccount(e);
  const name = auditName(e, account);
  return {
    account,
    action: e.action,
    name,
    actor: e.actor,
    data: flatData(e.data),
    timestamp: e.timestamp,
    action_description: `${labelOf(e.action).toLowerCase()}: ${name}`,
  };
}

function actionsCatalogue(state: EmulatorState): Json {
  const names = new Set([...Object.keys(ACTION_LABELS), ...state.audit.map((e) => e.action)]);
  const groups: Record<string, { actions: Json[]; label: string }> = {};
  for (const full of [...names].sort()) {
    const dot = full.indexOf('.');
    const group = dot < 0 ? full : full.slice(0, dot);
    groups[group] ??= {
      actions: [],
      label: GROUP_LABELS[group] ?? group.replace(/^\w/, (c) => c.toUpperCase()),
    };
    groups[group].actions.push({
      name: full.slice(dot + 1),
      description: labelOf(full),
      label: labelOf(full),
    });
  }
  return { actions: groups };
}

export function auditLogRoutes({ state }: EmulatorEnv): Route[] {
  /**
   * The account's audit log is for the account itself and for members of the organization (those who may
   * write to it). Answers the refusal itself and returns false when the caller may not read it.
   */
  const readable = (ctx: Ctx, account: string): boolean => {
    if (!ctx.user) unauthorized(ctx);
    else if (!state.users.has(account) && !state.orgs.has(account)) notFound(ctx, 'account');
    else if (!state.canWrite(ctx.user, account)) forbidden(ctx, `no access to the audit log of ${account}`);
    else return true;
    return false;
  };
  return [
    route('GET', '/v2/auditlogs/:account/actions', (ctx, p) => {
      const account = p.account;
      if (!readable(ctx, account)) return;
      send(ctx.res, 200, actionsCatalogue(state));
    }),
    route('GET', '/v2/auditlogs/:account', (ctx, p) => {
      const account = p.account;
      if (!readable(ctx, account)) return;
      const q = ctx.url.searchParams;
      const from = q.get('from') ? Date.parse(q.get('from') as string) : undefined;
      const to = q.get('to') ? Date.parse(q.get('to') as string) : undefined;
      if (Number.isNaN(from) || Number.isNaN(to)) return badRequest(ctx, 'from and to must be date-times');
      const logs = state.audit
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => auditAccount(e) === account)
        .map(({ e, i }) => ({ e, i, v: view(e) }))
        .filter(({ e, v }) => {
          const at = Date.parse(e.timestamp);
          return (
            (!q.get('action') || e.action === q.get('action')) &&
            (!q.get('actor') || e.actor === q.get('actor')) &&
            (!q.get('name') || v.name === q.get('name')) &&
            (from === undefined || at >= from) &&
            (to === undefined || at <= to)
          );
        })
        // Newest first; entries of the same millisecond keep their recording order, reversed.
        .sort((a, b) => b.e.timestamp.localeCompare(a.e.timestamp) || b.i - a.i)
        .map(({ v }) => v);
      send(ctx.res, 200, { logs: paginate(logs, ctx.url, 25).results });
    }),
  ];
}
