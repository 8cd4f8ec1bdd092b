/** Every route of the emulator, one module per Hub resource. Add a module's routes here. */
import type { EmulatorEnv, Route } from '../http.js';
import { accessTokenRoutes } from './access-tokens.js';
import { auditLogRoutes } from './audit-logs.js';
import { authRoutes } from './auth.js';
import { legacyLoginRoutes } from './legacy-login.js';
import { orgAccessTokenRoutes } from './org-access-tokens.js';
import { orgRoutes } from './orgs.js';
import { registryEventRoutes } from './registry-events.js';
import { registryTokenRoutes } from './registry-token.js';
import { repositoryRoutes } from './repositories.js';
import { scimRoutes } from './scim.js';
import { scoutRoutes } from './scout.js';
import { searchRoutes } from './search.js';
import { tagRoutes } from './tags.js';
import { userOrgRoutes } from './user-orgs.js';

export function allRoutes(env: EmulatorEnv): Route[] {
  return [
    ...authRoutes(env),
    ...repositoryRoutes(env),
    ...tagRoutes(env),
    ...accessTokenRoutes(env),
    // registry token service, registry notifications, built-in registry
    ...registryTokenRoutes(env),
    ...registryEventRoutes(env),
    // search, the current user's organizations (and the deprecated login with its 2FA step)
    ...legacyLoginRoutes(env),
    ...searchRoutes(env),
    ...userOrgRoutes(env),
    // tokens, audit logs, SCIM, legacy login
    ...orgAccessTokenRoutes(env),
    ...auditLogRoutes(env),
    ...scimRoutes(env),
    // organizations, members, invites, teams, permissions, immutable tags
    ...orgRoutes(env),
    // Docker Scout
    ...scoutRoutes(env),
  ];
}
