/**
 * Zod schemas of the main Hub responses, for lenient validation (`response-check.ts`): only the fields the
 * CLI and users rely on, every object loose (extra fields pass), nullable wherever the live API or the spec
 * allows null. Each schema `satisfies` the public type it checks, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { AccessToken } from './access-tokens.js';
import type { AuditLogEvent } from './audit-logs.js';
import type { OrgAccessToken } from './org-access-tokens.js';
import type { Invite } from './org-invites.js';
import type { OrgMember } from './org-members.js';
import type { OrgSettings } from './org-settings.js';
import type { Team, TeamMember } from './org-teams.js';
import type { Repository } from './repositories.js';
import type { ScimUser } from './scim.js';
import type { HubTag } from './tags.js';

const text = z.string().optional();
const nullableText = z.string().nullish();
const count = z.number().optional();
const flag = z.boolean().optional();
const texts = z.array(z.string()).optional();

/** A Hub list page: `results` (checked item by item), `count`, `next`. */
export function hubPage<T extends z.ZodType>(item: T) {
  return z.looseObject({ count, next: nullableText, previous: nullableText, results: z.array(item) });
}

export const repositorySchema = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  description: nullableText,
  full_description: nullableText,
  is_private: flag,
  pull_count: count,
  star_count: count,
  last_updated: nullableText,
  date_registered: text,
  status_description: text,
}) satisfies z.ZodType<Repository>;

export const tagSchema = z.looseObject({
  name: z.string(),
  full_size: count,
  last_updated: nullableText,
  last_updater_username: text,
  digest: text,
  // The spec says one object: Hub sends (and the SDK's type says) an array.
  images: z
    .array(z.looseObject({ architecture: text, os: text, digest: nullableText, size: count }))
    .optional(),
}) satisfies z.ZodType<HubTag>;

export const accessTokenSchema = z.looseObject({
  uuid: z.string(),
  token_label: text,
  scopes: texts,
  is_active: flag,
  created_at: text,
  last_used: nullableText,
  expires_at: text,
}) satisfies z.ZodType<AccessToken>;

/** What create returns: the plaintext token, once. */
export const createdAccessTokenSchema = accessTokenSchema.extend({ token: z.string() });

const oatResource = z.looseObject({
  type: z.enum(['TYPE_REPO', 'TYPE_ORG']),
  path: z.string(),
  scopes: z.array(z.string()),
});

export const orgAccessTokenSchema = z.looseObject({
  id: z.string(),
  label: text,
  is_active: flag,
  created_at: text,
  expires_at: nullableText,
  last_used_at: nullableText,
  resources: z.array(oatResource).optional(),
}) satisfies z.ZodType<OrgAccessToken>;

export const createdOrgAccessTokenSchema = orgAccessTokenSchema.extend({ token: z.string() });

export const memberSchema = z.looseObject({
  username: z.string(),
  full_name: text,
  email: text,
  role: text,
  groups: texts,
}) satisfies z.ZodType<OrgMember>;

export const teamSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  uuid: text,
  description: text,
  member_count: count,
}) satisfies z.ZodType<Team>;

export const teamMemberSchema = z.looseObject({
  username: z.string(),
  full_name: text,
  email: text,
}) satisfies z.ZodType<TeamMember>;

export const inviteSchema = z.looseObject({
  id: z.string(),
  invitee: z.string(),
  inviter_username: text,
  org: text,
  team: text,
  created_at: text,
}) satisfies z.ZodType<Invite>;

export const inviteListSchema = z.looseObject({ data: z.array(inviteSchema) });

export const auditLogSchema = z.looseObject({
  action: z.string(),
  timestamp: z.string(),
  actor: text,
  name: text,
  account: text,
  action_description: text,
  data: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<AuditLogEvent>;

export const auditLogPageSchema = z.looseObject({ logs: z.array(auditLogSchema) });

export const orgSettingsSchema = z.looseObject({
  restricted_images: z.looseObject({
    enabled: z.boolean(),
    allow_official_images: z.boolean(),
    allow_verified_publishers: z.boolean(),
  }),
}) satisfies z.ZodType<OrgSettings>;

/** `id` and `schemas` are always returned; the rest may be left out by an `attributes` projection. */
export const scimUserSchema = z.looseObject({
  id: z.string(),
  userName: text,
  displayName: text,
  active: flag,
  name: z.looseObject({ givenName: text, familyName: text }).optional(),
  emails: z.array(z.looseObject({ value: text, primary: flag })).optional(),
}) satisfies z.ZodType<ScimUser>;

/** RFC 7644 spells the list `Resources`, Docker's spec `resources`: either is checked when present. */
export const scimUserListSchema = z.looseObject({
  totalResults: z.number(),
  startIndex: count,
  itemsPerPage: count,
  Resources: z.array(scimUserSchema).optional(),
  resources: z.array(scimUserSchema).optional(),
});
