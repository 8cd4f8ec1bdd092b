/**
 * Organization members: list (with Hub's filters; pending invites on request), CSV export, role change and
 * removal. The last owner can be neither demoted nor removed.
 */
import {
  badRequest,
  type EmulatorEnv,
  type Json,
  notFound,
  paginate,
  type Route,
  route,
  send,
} from '../http.js';
import type { EmulatedInvite, EmulatedRole } from '../org-state.js';
import { matchesSearch, memberView, orgAccess } from './org-access.js';

const isEmail = (s: string) => s.includes('@');

function inviteeView(i: EmulatedInvite): Json {
  return {
    id: i.id,
    username: isEmail(i.invitee) ? '' : i.invitee,
    email: isEmail(i.invitee) ? i.invitee : '',
    full_name: '',
    type: 'User',
    role: 'Invitee',
    groups: i.team ? [i.team] : [],
    is_guest: false,
    date_joined: i.created_at,
  };
}

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function orgMemberRoutes({ state }: EmulatorEnv): Route[] {
  const memberNames = (org: string) => [...(state.orgs.get(org)?.members ?? [])].sort();
  const lastOwner = (org: string, user: string) =>
    state.orgAdmin.role(org, user) === 'owner' && state.orgAdmin.owners(org).length === 1;
  return [
    route('GET', '/v2/orgs/:org/members', (ctx, p) => {
      const org = p.org;
      const access = orgAccess(state, ctx, org, 'member');
      if (!access) return;
      const q = ctx.url.searchParams;
      const owner = access.role === 'owner';
      const type = q.get('type') ?? 'member';
      const roleFilter = q.get('role') as EmulatedRole | null;
      const search = (q.get('search') ?? '').toLowerCase();
      const members =
        type === 'invitee'
          ? []
          : memberNames(org)
              .filter((u) => !roleFilter || state.orgAdmin.role(org, u) === roleFilter)
              .map((u) => memberView(state, org, u, owner));
      // Pending invites are an owner's business.
      const withInvites = owner && !roleFilter && (type !== 'member' || q.get('invites') === 'true');
      const invitees = withInvites ? state.orgAdmin.invitesOf(org).map(inviteeView) : [];
      const list = [...members, ...invitees].filter((m) => matchesSearch(m, search, owner));
      send(ctx.res, 200, paginate(list, ctx.url));
    }),
    route('GET', '/v2/orgs/:org/members/export', (ctx, p) => {
      const org = p.org;
      if (!orgAccess(state, ctx, org, 'owner')) return;
      const rows = [
        ['Name', 'Username', 'Email', 'Type', 'Role', 'Teams', 'Date Joined'],
        ...memberNames(org).map((u) => {
          const m = memberView(state, org, u, true);
          return ['', u, m.email, 'User', m.role, (m.groups as string[]).join(';'), m.date_joined];
        }),
        ...state.orgAdmin
          .invitesOf(org)
          .map((i) => [
            '',
            isEmail(i.invitee) ? '' : i.invitee,
            isEmail(i.invitee) ? i.invitee : '',
            'Invitee',
            'Invitee',
            i.team ?? '',
            i.created_at,
          ]),
      ];
      ctx.res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${org}-members.csv"`,
      });
      ctx.res.end(`${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`);
    }),
    route('PUT', '/v2/orgs/:org/members/:username', (ctx, p) => {
      const org = p.org;
      const username = p.username;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      const previous = state.orgAdmin.role(org, username);
      if (!previous) return notFound(ctx, `member ${username} of ${org}`);
      const role = (ctx.body as { role: EmulatedRole }).role;
      if (role !== 'owner' && lastOwner(org, username))
        return badRequest(ctx, `${username} is the last owner of ${org}: make someone else owner first`);
      state.orgAdmin.setMember(org, username, role);
      state.record('org.member.update', access.user, { org, username, role, previous });
      send(ctx.res, 200, memberView(state, org, username, true));
    }),
    route('DELETE', '/v2/orgs/:org/members/:username', (ctx, p) => {
      const org = p.org;
      const username = p.username;
      const access = orgAccess(state, ctx, org, 'owner');
      if (!access) return;
      if (!state.orgAdmin.role(org, username)) return notFound(ctx, `member ${username} of ${org}`);
      if (lastOwner(org, username))
        return badRequest(ctx, `${username} is the last owner of ${org} and cannot be removed`);
      state.orgAdmin.removeMember(org, username);
      state.record('org.member.remove', access.user, { org, username });
      send(ctx.res, 204);
    }),
  ];
}
