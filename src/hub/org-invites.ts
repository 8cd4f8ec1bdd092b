/**
 * Organization invites (spec tag `invites`): list the pending ones, cancel, resend, and invite people in
 * bulk by Docker ID or email (`dry_run` reports what would happen without sending anything).
 */

import { ValidationError } from '../core/errors.js';
import type { HubClient } from './client.js';
import { assertName, assertOrgRole, type OrgRole } from './org-roles.js';
import { path } from './path.js';
import { inviteListSchema } from './response-schemas.js';
import type { HubSchemas, Lenient, SpecRequestBody } from './spec-types.js';
import { isEmail } from './validation.js';

/** The spec's `invite`; `invitee` is a Docker ID, or an email address for people without an account. */
export type Invite = Lenient<HubSchemas['invite'], 'id' | 'invitee'>;

type SpecBulkInvite = SpecRequestBody<'/v2/invites/bulk', 'post'>;

/** The spec's bulk invite request body, with the role narrowed to the roles a member can be given. */
export interface BulkInviteParams extends Omit<SpecBulkInvite, 'role'> {
  role?: OrgRole;
}

type SpecBulkInviteResult = NonNullable<HubSchemas['bulk_invite']['invitees']>[number];

/** One invitee's outcome (the spec's `bulk_invite` entry); `status` is e.g. `invited`, `existing_org_member`. */
export interface BulkInviteResult extends Omit<SpecBulkInviteResult, 'invitee' | 'status' | 'invite'> {
  invitee: string;
  status: string;
  invite?: Invite;
}

const DOCKER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
export const MAX_BULK_INVITEES = 1000;

function validate(params: BulkInviteParams): void {
  assertName('organization', params.org);
  if (params.team !== undefined) assertName('team', params.team);
  if (params.role !== undefined) assertOrgRole(params.role);
  if (params.invitees.length === 0)
    throw new ValidationError('give at least one invitee (Docker ID or email)');
  if (params.invitees.length > MAX_BULK_INVITEES)
    throw new ValidationError(
      `at most ${MAX_BULK_INVITEES} invitees per request, got ${params.invitees.length}`,
    );
  for (const i of params.invitees)
    if (!isEmail(i) && !DOCKER_ID.test(i))
      throw new ValidationError(`"${i}" is neither a Docker ID nor an email address`);
}

export class OrgInvites {
  constructor(private readonly hub: HubClient) {}

  /** The pending invites (Hub returns them all at once, not in pages). Owners only. */
  async list(org: string): Promise<Invite[]> {
    assertName('organization', org);
    const body = await this.hub.call<{ data?: Invite[] } | undefined>({
      method: 'GET',
      path: path`/v2/orgs/${org}/invites`,
      operation: 'docker.org.invite.list',
      schema: inviteListSchema,
      attributes: { org },
    });
    return body?.data ?? [];
  }

  /** Destructive: the invite stops working. */
  async cancel(id: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`cancelling invite ${id}`);
    assertName('invite id', id);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/invites/${id}`,
      operation: 'docker.org.invite.cancel',
    });
  }

  async resend(id: string): Promise<void> {
    assertName('invite id', id);
    await this.hub.call<void>({
      method: 'PATCH',
      path: path`/v2/invites/${id}/resend`,
      operation: 'docker.org.invite.resend',
    });
  }

  /** One result per invitee. Docker's spec nests the list one level too deep; both shapes are read. */
  async bulk(params: BulkInviteParams): Promise<BulkInviteResult[]> {
    validate(params);
    const body = await this.hub.call<{ invitees?: BulkInviteResult[] | { invitees?: BulkInviteResult[] } }>({
      method: 'POST',
      path: '/v2/invites/bulk',
      body: params,
      operation: 'docker.org.invite.bulk',
      attributes: { org: params.org, invitees: params.invitees.length },
    });
    const list = body?.invitees;
    return (Array.isArray(list) ? list : list?.invitees) ?? [];
  }
}
