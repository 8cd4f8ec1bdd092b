/** Who may do what in an organization: members read, owners change. Replies with the refusal itself. */
import { type Ctx, forbidden, type Json, notFound, unauthorized } from '../http.js';
import type { EmulatedRole } from '../org-state.js';
import type { EmulatorState } from '../state.js';

export type Need = 'member' | 'owner';

/**
 * The caller and their role in the org when they may proceed; otherwise replies 401/404/403 and gives
 * undefined. `notMember` replaces the 403 detail given to a caller outside the org.
 */
export function orgAccess(
  state: EmulatorState,
  ctx: Ctx,
  org: string,
  need: Need,
  notMember = `${ctx.user} is not a member of ${org}`,
): { user: string; role: EmulatedRole } | undefined {
  const user = ctx.user;
  if (!user) return void unauthorized(ctx);
  if (!state.orgs.has(org)) return void notFound(ctx, `organization ${org}`);
  const role = state.orgAdmin.role(org, user);
  if (!role) return void forbidden(ctx, notMember);
  if (need === 'owner' && role !== 'owner') return void forbidden(ctx, `only owners of ${org} can do this`);
  return { user, role };
}

const ROLE_LABEL: Record<EmulatedRole, string> = { owner: 'Owner', editor: 'Editor', member: 'Member' };

/** A team member as Hub shows one; the email only to owners. `extra` fields go before `date_joined`. */
export function teamMemberView(
  state: EmulatorState,
  org: string,
  username: string,
  showEmail: boolean,
  extra: Json = {},
): Json {
  const user = state.users.get(username);
  const joined = state.orgAdmin.dateJoined(org, username);
  return {
    id: user?.uuid ?? username,
    username,
    full_name: '',
    type: 'User',
    ...(showEmail ? { email: user?.email ?? '' } : {}),
    ...extra,
    ...(joined ? { date_joined: joined } : {}),
  };
}

/** An org member as Hub shows one: a team member's fields plus role, teams and guest flag. */
export function memberView(state: EmulatorState, org: string, username: string, showEmail: boolean): Json {
  return teamMemberView(state, org, username, showEmail, {
    role: ROLE_LABEL[state.orgAdmin.role(org, username) ?? 'member'],
    groups: state.orgAdmin.teamNames(org, username),
    is_guest: false,
  });
}

/** Whether a member view matches a lower-cased `search` by username, full name or (to owners) email. */
export function matchesSearch(m: Json, search: string, showEmail: boolean): boolean {
  return [m.username, m.full_name, showEmail ? m.email : undefined].some((v) =>
    String(v ?? '')
      .toLowerCase()
      .includes(search),
  );
}
