/** Every route of the emulator, one module per Hub resource. Add a module's routes here. */
import type { EmulatorEnv, Route } from '../http.js';
import { accessTokenRoutes } from './access-tokens.js';
import { auditLogRoutes } from './audit-logs.js';
import { authRoutes } from './auth.js';
import { orgAccessTokenRoutes } from './org-access-tokens.js';
import { repositoryRoutes } from './repositories.js';
import { scimRoutes } from './scim.js';
import { tagRoutes } from './tags.js';

export function allRoutes(env: EmulatorEnv): Route[] {
  return [
    ...authRoutes(env),
    ...repositoryRoutes(env),
    ...tagRoutes(env),
    ...accessTokenRoutes(env),
    // tokens, audit logs, SCIM, legacy login
    ...orgAccessTokenRoutes(env),
    ...auditLogRoutes(env),
    ...scimRoutes(env),
  ];
}
