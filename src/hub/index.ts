export {
  type AccessToken,
  AccessTokens,
  type CreateAccessTokenParams,
  type CreatedAccessToken,
  PAT_SCOPES,
  type PatScope,
  type UpdateAccessTokenParams,
} from './access-tokens.js';
export {
  type AuditLogAction,
  type AuditLogActions,
  type AuditLogEvent,
  type AuditLogFilters,
  AuditLogs,
} from './audit-logs.js';
export { decodeJwt, HubAuth, type HubClaims, REFRESH_MARGIN_MS } from './auth.js';
export {
  DEFAULT_HUB_URL,
  HubClient,
  type HubClientOptions,
  type HubPageResponse,
  type HubRequest,
  path,
} from './client.js';
export { assertImmutableTagRule, ImmutableTags, type ImmutableTagsSettings } from './immutable-tags.js';
export {
  LegacyAuth,
  type LegacyLoginParams,
  type LegacyLoginResult,
  type Login2faParams,
} from './legacy-auth.js';
export {
  type CreatedOrgAccessToken,
  type CreateOrgAccessTokenParams,
  OAT_RESOURCE_TYPES,
  type OatResourceType,
  type OrgAccessToken,
  type OrgAccessTokenResource,
  OrgAccessTokens,
  type UpdateOrgAccessTokenParams,
} from './org-access-tokens.js';
export {
  type BulkInviteParams,
  type BulkInviteResult,
  type Invite,
  MAX_BULK_INVITEES,
  OrgInvites,
} from './org-invites.js';
export {
  MEMBER_TYPES,
  type MemberType,
  type OrgMember,
  type OrgMemberFilters,
  OrgMembers,
} from './org-members.js';
export { ORG_ROLES, type OrgRole } from './org-roles.js';
export {
  type OrgSettings,
  OrgSettingsApi,
  type OrgSettingsChanges,
  type RestrictedImages,
} from './org-settings.js';
export { OrgTeams, type Team, type TeamListFilters, type TeamMember, TeamMembers } from './org-teams.js';
export { Orgs } from './orgs.js';
export {
  assertRepositoryName,
  Repositories,
  type Repository,
  type RepositoryCreateParams,
  type RepositoryListParams,
} from './repositories.js';
export {
  REPOSITORY_PERMISSIONS,
  type RepositoryPermission,
  RepositoryPermissions,
  type RepositoryTeamGrant,
} from './repository-permissions.js';
export {
  SCIM_MEDIA_TYPE,
  SCIM_USER_SCHEMA,
  ScimClient,
  type ScimClientOptions,
  type ScimCreateUserParams,
  type ScimName,
  type ScimReplaceUserParams,
  type ScimResourceType,
  type ScimSchema,
  type ScimServiceProviderConfig,
  type ScimUser,
  type ScimUserListParams,
  ScimUsers,
  scimString,
} from './scim.js';
export {
  SEARCH_BADGES,
  SEARCH_TYPES,
  SEARCH_WINDOW,
  Search,
  type SearchBadge,
  type SearchParams,
  type SearchResult,
  type SearchType,
} from './search.js';
export type { HubParameters, HubSchemas, Lenient } from './spec-types.js';
export { type HubTag, type HubTagImage, HubTags } from './tags.js';
export { type UserOrg, Users, type WhoAmI } from './users.js';
export { toDateTime } from './validation.js';
