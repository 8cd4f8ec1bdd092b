/**
 * Organization members (spec tag `orgs`): list with filters, CSV export, role change, removal.
 * Docker's spec declares the list response as an array of pages and the export as an array of objects
 * (both known wrong): the list accepts either shape, and the export is returned as the CSV text (or
 * stream) it is, so neither derives its type from the spec.
 */
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { PagedList } from '../core/pagination.js';
import { instrument } from '../core/telemetry.js';
import type { HubClient, HubPageResponse } from './client.js';
import { assertName, assertOrgRole, type OrgRole } from './org-roles.js';
import { path } from './path.js';
import { memberSchema } from './response-schemas.js';
import type { HubParameters, HubSchemas, SpecFields, SpecQuery } from './spec-types.js';
import { assertPaging } from './validation.js';

/** A member as the spec's `org_member` describes it (its `user` fields included); `username` is relied on. */
export interface OrgMember extends Omit<SpecFields<HubSchemas['org_member']>, 'role' | 'username'> {
  username: string;
  /** As Hub reports it: `Owner`, `Member`, `Invitee` (and `Editor`, which the spec's enum omits). */
  role?: string;
  [key: string]: unknown;
}

export const MEMBER_TYPES = ['all', 'invitee', 'member'] as const satisfies ReadonlyArray<
  HubParameters['type']
>;
export type MemberType = (typeof MEMBER_TYPES)[number];

/** The spec's query parameters of `GET /v2/orgs/{org_name}/members`, `search` corrected. */
export interface OrgMemberFilters extends Omit<SpecQuery<'/v2/orgs/{org_name}/members', 'get'>, 'search'> {
  /** Free text (username, name or email). Docker's spec types it as an integer, wrongly. */
  search?: string;
  type?: MemberType;
  role?: OrgRole;
  /** Include pending invites. */
  invites?: boolean;
}

/** Hub's page, or the spec's array of pages, or a bare array: all read as one page. */
function asPage<T>(body: unknown): HubPageResponse<T> {
  if (!Array.isArray(body)) return (body ?? {}) as HubPageResponse<T>;
  const first = body[0] as HubPageResponse<T> | undefined;
  if (first && typeof first === 'object' && Array.isArray(first.results)) return first;
  return { results: body as T[], count: body.length };
}

export class OrgMembers {
  constructor(private readonly hub: HubClient) {}

  list(org: string, filters: OrgMemberFilters = {}): PagedList<OrgMember> {
    assertName('organization', org);
    assertPaging(filters);
    if (filters.role !== undefined) assertOrgRole(filters.role);
    if (filters.type !== undefined && !MEMBER_TYPES.includes(filters.type))
      throw new ValidationError(`unknown member type "${filters.type}"; valid: ${MEMBER_TYPES.join(', ')}`);
    // The spec's array shapes are read as a page (and checked as one), not warned about.
    return this.hub.list<OrgMember>(
      {
        method: 'GET',
        path: path`/v2/orgs/${org}/members`,
        query: { ...filters },
        operation: 'docker.org.member.list',
        schema: memberSchema,
        attributes: { org },
      },
      asPage,
    );
  }

  /** The members as CSV, streamed (for large organizations; the caller must consume or destroy it). */
  exportStream(org: string): Promise<Readable> {
    assertName('organization', org);
    return instrument('docker.org.member.export', { org }, async () => {
      const res = await this.hub.send({
        method: 'GET',
        path: path`/v2/orgs/${org}/members/export`,
        headers: { accept: 'text/csv' },
        operation: 'docker.org.member.export',
      });
      return res.body;
    });
  }

  /** The members as CSV text (columns as Hub sends them: Name, Username, Email, Type, Role, …). */
  async export(org: string): Promise<string> {
    return text(await this.exportStream(org));
  }

  updateRole(org: string, username: string, role: OrgRole): APIPromise<OrgMember> {
    assertName('organization', org);
    assertName('username', username);
    assertOrgRole(role);
    return this.hub.call<OrgMember>({
      method: 'PUT',
      path: path`/v2/orgs/${org}/members/${username}`,
      body: { role },
      operation: 'docker.org.member.update',
      schema: memberSchema,
      attributes: { org },
    });
  }

  /** Destructive: the user leaves the organization and all its teams. */
  async remove(org: string, username: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`removing ${username} from organization ${org}`);
    assertName('organization', org);
    assertName('username', username);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/orgs/${org}/members/${username}`,
      operation: 'docker.org.member.remove',
      attributes: { org },
    });
  }
}
