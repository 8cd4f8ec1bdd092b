/**
 * Invites: owners list, cancel and resend pending invites and invite people in bulk (by Docker ID of a
 * known user, or by email). `dry_run` reports each invitee's status without inviting anyone.
 */

import { randomUUID } from 'node:crypto';
import { isEmail } from '../../hub/validation.js';
import {
  badRequest,
  type Ctx,
  type EmulatorEnv,
  type Json,
  notFound,
  type Route,
  route,
  send,
  unauthorized,
} from '../http.js';
import { EMULATED_ROLES, type EmulatedInvite, type EmulatedRole } from '../org-state.js';
import { orgAccess } from './org-access.js';

function inviteView(i: EmulatedInvite): Json {
  return {
    id: i.id,
    inviter_username: i.inviter_username,
    invitee: i.invitee,
    org: i.org,
    ...(i.team ? { team: i.team } : {}),
    created_at: i.created_at,
  };
}

interface BulkBody {
  org: string;
  team?: string;
  role?: string;
  invitees: string[];
  dry_run?: boolean;
}

export function inviteRoutes({ state }: EmulatorEnv): Route[] {
  /** The invite and the caller, who may manage it (an owner of its org), or a reply already sent. */
  const managed = (ctx: Ctx, id: string): { invite: EmulatedInvite; user: string } | undefined => {
    if (!ctx.user) return void unauthorized(ctx);
    const invite = state.orgAdmin.invites.get(id);
    if (!invite) return void notFound(ctx, 'invite');
    const access = orgAccess(state, ctx, invite.org, 'owner');
    return access && { invite, user: access.user };
  };
  const memberFor = (invitee: string) =>
    state.users.has(invitee)
      ? invitee
      : [...state.users.values()].find((u) => u.email?.toLowerCase() === invitee.toLowerCase())?.username;

  return [
    route('GET', '/v2/orgs/:org/invites', (ctx, p) => {
      const org = p.org;
      if (!orgAccess(state, ctx, org, 'owner')) return;
      const data = state.orgAdmin.invitesOf(org).map(inviteView);
      send(ctx.res, 200, { data });
    }),
    route('DELETE', '/v2/invites/:id', (ctx, p) => {
      const found = managed(ctx, p.id);
      if (!found) return;
      const { invite, user } = found;
      state.orgAdmin.invites.delete(invite.id);
      state.record('invite.cancel', user, {
        id: invite.id,
        org: invite.org,
        invitee: invite.invitee,
      });
      send(ctx.res, 204);
    }),
    route('PATCH', '/v2/invites/:id/resend', (ctx, p) => {
      const found = managed(ctx, p.id);
      if (!found) return;
      const { invite, user } = found;
      invite.resent++;
      state.record('invite.resend', user, {
        id: invite.id,
        org: invite.org,
        invitee: invite.invitee,
      });
      send(ctx.res, 204);
    }),
    route('POST', '/v2/invites/bulk', (ctx) => {
      const body = ctx.body as BulkBody;
      const access = orgAccess(state, ctx, body.org, 'owner');
      if (!access) return;
      if (body.team && !state.orgAdmin.teamsOf(body.org).has(body.team))
        return badRequest(ctx, `team ${body.team} does not exist in ${body.org}`);
      const role = (body.role ?? 'member') as EmulatedRole;
      if (!EMULATED_ROLES.includes(role))
        return badRequest(ctx, `unknown role ${body.role}; valid: ${EMULATED_ROLES.join(', ')}`);
      const invitees = body.invitees.map((invitee): Json => {
        if (!isEmail(invitee) && !state.users.has(invitee))
          return { invitee, status: 'invalid_email_or_docker_id' };
        const user = memberFor(invitee);
        if (user && state.orgAdmin.role(body.org, user)) return { invitee, status: 'existing_org_member' };
        const pending = state.orgAdmin.invitesOf(body.org).find((i) => i.invitee === invitee);
        if (pending) return { invitee, status: 'invited', invite: inviteView(pending) };
        if (body.dry_run) return { invitee, status: 'invited' };
        const invite: EmulatedInvite = {
          id: randomUUID(),
          org: body.org,
          inviter_username: access.user,
          invitee,
          team: body.team,
          role,
          created_at: new Date().toISOString(),
          resent: 0,
        };
        state.orgAdmin.invites.set(invite.id, invite);
        state.record('invite.create', access.user, { id: invite.id, org: body.org, invitee, role });
        return { invitee, status: 'invited', invite: inviteView(invite) };
      });
      send(ctx.res, 202, { invitees });
    }),
  ];
}
