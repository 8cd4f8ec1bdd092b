/** Hub tags (spec tag `repositories`): list, get, HEAD checks, and the undocumented delete. */
import type { APIPromise } from '../core/api-promise.js';
import type { PagedList } from '../core/pagination.js';
import type { HubClient } from './client.js';
import { path } from './path.js';
import { tagSchema } from './response-schemas.js';
import type { HubSchemas, Lenient } from './spec-types.js';

/** One image of a tag (one platform): the spec's `image`. */
export type HubTagImage = Lenient<HubSchemas['image']>;

/** A tag as Docker Hub returns it: the spec's `tag`, corrected where the spec is known to be wrong. */
export interface HubTag extends Lenient<Omit<HubSchemas['tag'], 'images' | 'v2'>, 'name'> {
  /** The spec declares one image object; Hub sends an array, one image per platform. */
  images?: HubTagImage[];
  /** The spec declares a string; Hub sends a boolean. */
  v2?: boolean | string;
  /** Live fields the spec lacks. */
  digest?: string;
  media_type?: string;
  tag_status?: string;
}

export class HubTags {
  constructor(private readonly hub: HubClient) {}

  list(
    namespace: string,
    repository: string,
    query: { page?: number; page_size?: number } = {},
  ): PagedList<HubTag> {
    return this.hub.list<HubTag>({
      method: 'GET',
      path: path`/v2/namespaces/${namespace}/repositories/${repository}/tags`,
      query,
      operation: 'docker.tag.list',
      schema: tagSchema,
      attributes: { namespace, repository },
    });
  }

  get(namespace: string, repository: string, tag: string): APIPromise<HubTag> {
    return this.hub.call<HubTag>({
      method: 'GET',
      path: path`/v2/namespaces/${namespace}/repositories/${repository}/tags/${tag}`,
      operation: 'docker.tag.get',
      schema: tagSchema,
      attributes: { namespace, repository, tag },
    });
  }

  async exists(namespace: string, repository: string, tag?: string): Promise<boolean> {
    const res = await this.hub.send({
      method: 'HEAD',
      path: tag
        ? path`/v2/namespaces/${namespace}/repositories/${repository}/tags/${tag}`
        : path`/v2/namespaces/${namespace}/repositories/${repository}/tags`,
      allowStatus: [404],
      operation: 'docker.tag.exists',
    });
    await res.body.dump();
    return res.status !== 404;
  }

  /** Undocumented endpoint: DELETE /v2/repositories/{ns}/{repo}/tags/{tag}/. Destructive. */
  async delete(namespace: string, repository: string, tag: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`deleting tag ${namespace}/${repository}:${tag}`);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/repositories/${namespace}/${repository}/tags/${tag}/`,
      operation: 'docker.tag.delete',
      attributes: { namespace, repository, tag },
    });
  }
}
