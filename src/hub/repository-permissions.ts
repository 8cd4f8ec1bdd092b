/**
 * Team access to a repository: `POST /v2/repositories/{ns}/{repo}/groups` (CreateRepositoryGroup, the one
 * documented route still under the legacy `/v2/repositories` prefix). Teams are named by numeric id here;
 * `hub.orgs.teams.get(org, name)` gives the id of a team by name.
 */

import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { HubClient } from './client.js';
import { path } from './path.js';
import type { HubSchemas, Lenient } from './spec-types.js';

export const REPOSITORY_PERMISSIONS = ['read', 'write', 'admin'] as const satisfies ReadonlyArray<
  HubSchemas['RepositoryGroupCreationRequest']['permission']
>;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

/** The spec's `RepositoryGroup`: the team and the permission it now has. */
export type RepositoryTeamGrant = Lenient<HubSchemas['RepositoryGroup']>;

export class RepositoryPermissions {
  constructor(private readonly hub: HubClient) {}

  /** Gives a team (by id) read, write or admin access to the repository. */
  grantTeam(
    namespace: string,
    repository: string,
    teamId: number,
    permission: RepositoryPermission,
  ): APIPromise<RepositoryTeamGrant> {
    if (!Number.isSafeInteger(teamId) || teamId < 0)
      throw new ValidationError(`team id must be a non-negative integer, got ${teamId}`);
    if (!REPOSITORY_PERMISSIONS.includes(permission))
      throw new ValidationError(
        `unknown permission "${permission}"; valid: ${REPOSITORY_PERMISSIONS.join(', ')}`,
      );
    return this.hub.call<RepositoryTeamGrant>({
      method: 'POST',
      path: path`/v2/repositories/${namespace}/${repository}/groups`,
      body: { group_id: teamId, permission },
      operation: 'docker.repo.team.grant',
      attributes: { namespace, repository, permission },
    });
  }
}
