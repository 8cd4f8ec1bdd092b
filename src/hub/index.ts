export {
  type AccessToken,
  AccessTokens,
  type CreateAccessTokenParams,
  type CreatedAccessToken,
  PAT_SCOPES,
  type PatScope,
} from './access-tokens.js';
export { decodeJwt, HubAuth, type HubClaims, REFRESH_MARGIN_MS } from './auth.js';
export {
  DEFAULT_HUB_URL,
  HubClient,
  type HubClientOptions,
  type HubPageResponse,
  type HubRequest,
  path,
} from './client.js';
export {
  LegacyAuth,
  type LegacyLoginParams,
  type LegacyLoginResult,
  type Login2faParams,
} from './legacy-auth.js';
export {
  assertRepositoryName,
  Repositories,
  type Repository,
  type RepositoryCreateParams,
  type RepositoryListParams,
} from './repositories.js';
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
export { type HubTag, HubTags } from './tags.js';
export { type UserOrg, Users, type WhoAmI } from './users.js';
