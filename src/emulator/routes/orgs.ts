/** Organizations, members, invites, teams, team permissions on repositories and immutable tags. */
import type { EmulatorEnv, Route } from '../http.js';
import { inviteRoutes } from './invites.js';
import { orgMemberRoutes } from './org-members.js';
import { orgSettingsRoutes } from './org-settings.js';
import { repositoryAdminRoutes } from './repository-admin.js';
import { teamRoutes } from './teams.js';

export function orgRoutes(env: EmulatorEnv): Route[] {
  return [
    ...orgSettingsRoutes(env),
    ...orgMemberRoutes(env),
    ...inviteRoutes(env),
    ...teamRoutes(env),
    ...repositoryAdminRoutes(env),
  ];
}
