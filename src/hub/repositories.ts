/** Repositories (spec tag `repositories`), plus the undocumented update and delete users rely on. */
import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { PagedList } from '../core/pagination.js';
import type { HubClient } from './client.js';
import { ImmutableTags } from './immutable-tags.js';
import { path } from './path.js';
import { RepositoryPermissions } from './repository-permissions.js';
import { repositorySchema } from './response-schemas.js';
import type { HubSchemas, Lenient, SpecQuery } from './spec-types.js';

/**
 * A repository as Docker Hub returns it: the spec's `repository_info` (GET, create), of which list entries
 * (`repository_list_entry`) carry a subset. Lenient: only `name` and `namespace` are relied on.
 */
export interface Repository
  extends Lenient<Omit<HubSchemas['repository_info'], 'description' | 'last_updated'>, 'name' | 'namespace'> {
  /** The list entry schema allows null here; `repository_info` does not. */
  description?: string | null;
  last_updated?: string | null;
}

export interface RepositoryListParams extends SpecQuery<'/v2/namespaces/{namespace}/repositories', 'get'> {
  namespace: string;
}

/** The spec's `repo_creation_request`; the name is checked before the request. */
export type RepositoryCreateParams = HubSchemas['repo_creation_request'];

const REPO_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export function assertRepositoryName(name: string): void {
  if (name.length < 2 || name.length > 255 || !REPO_NAME.test(name)) {
    throw new ValidationError(
      `invalid repository name "${name}": 2-255 lowercase letters, digits and single . _ - between them`,
    );
  }
}

export class Repositories {
  /** Team access: `hub.repositories.permissions.grantTeam(...)`. */
  readonly permissions: RepositoryPermissions;
  /** `hub.repositories.immutableTags.update(...)` / `.verify(...)`. */
  readonly immutableTags: ImmutableTags;

  constructor(private readonly hub: HubClient) {
    this.permissions = new RepositoryPermissions(hub);
    this.immutableTags = new ImmutableTags(hub);
  }

  list(params: RepositoryListParams): PagedList<Repository> {
    const { namespace, ...query } = params;
    return this.hub.list<Repository>({
      method: 'GET',
      path: path`/v2/namespaces/${namespace}/repositories`,
      query,
      operation: 'docker.repo.list',
      schema: repositorySchema,
      attributes: { namespace },
    });
  }

  create(params: RepositoryCreateParams): APIPromise<Repository> {
    assertRepositoryName(params.name);
    return this.hub.call<Repository>({
      method: 'POST',
      path: path`/v2/namespaces/${params.namespace}/repositories`,
      body: params,
      operation: 'docker.repo.create',
      schema: repositorySchema,
      attributes: { namespace: params.namespace, repository: params.name },
    });
  }

  get(namespace: string, name: string): APIPromise<Repository> {
    return this.hub.call<Repository>({
      method: 'GET',
      path: path`/v2/namespaces/${namespace}/repositories/${name}`,
      operation: 'docker.repo.get',
      schema: repositorySchema,
      attributes: { namespace, repository: name },
    });
  }

  /** HEAD check: true when the repository exists (and is visible to the caller). */
  async exists(namespace: string, name: string): Promise<boolean> {
    const res = await this.hub.send({
      method: 'HEAD',
      path: path`/v2/namespaces/${namespace}/repositories/${name}`,
      allowStatus: [404],
      operation: 'docker.repo.exists',
    });
    await res.body.dump();
    return res.status !== 404;
  }

  /** Undocumented endpoint: PATCH /v2/repositories/{ns}/{repo}/ (description, full_description). */
  update(
    namespace: string,
    name: string,
    changes: { description?: string; full_description?: string },
  ): APIPromise<Repository> {
    return this.hub.call<Repository>({
      method: 'PATCH',
      path: path`/v2/repositories/${namespace}/${name}/`,
      body: changes,
      operation: 'docker.repo.update',
      schema: repositorySchema,
      attributes: { namespace, repository: name },
    });
  }

  /** Undocumented endpoint: DELETE /v2/repositories/{ns}/{repo}/. Destructive. */
  async delete(namespace: string, name: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`deleting repository ${namespace}/${name}`);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/repositories/${namespace}/${name}/`,
      operation: 'docker.repo.delete',
      attributes: { namespace, repository: name },
    });
  }
}
