/** What the org resources share: member roles and the checks that run before any request. */
import { ValidationError } from '../core/errors.js';
import type { HubParameters } from './spec-types.js';

/** Roles a member can be given (`PUT /v2/orgs/{org}/members/{user}` and the `role` filter). */
export const ORG_ROLES = ['owner', 'editor', 'member'] as const satisfies ReadonlyArray<
  HubParameters['role']
>;
export type OrgRole = (typeof ORG_ROLES)[number];

export function assertOrgRole(role: string): asserts role is OrgRole {
  if (!ORG_ROLES.includes(role as OrgRole))
    throw new ValidationError(`unknown role "${role}"; valid: ${ORG_ROLES.join(', ')}`);
}

/** A non-empty name that fits in one path segment. */
export function assertName(what: string, value: string): void {
  if (!value.trim() || value.includes('/'))
    throw new ValidationError(`invalid ${what} "${value}": give a non-empty name without "/"`);
}
