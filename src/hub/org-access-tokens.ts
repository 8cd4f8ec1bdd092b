/**
 * Organization access tokens (spec tag `org-access-tokens`): scoped to resources of one organization,
 * managed by its owners, used by automation to log in as the organization (`POST /v2/auth/token` with
 * the org name as identifier). A new token's plaintext is returned once, by `create`, as a `Secret`.
 */
import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { PagedList } from '../core/pagination.js';
import { Secret } from '../core/secret.js';
import type { HubClient } from './client.js';
import { path } from './path.js';
import { createdOrgAccessTokenSchema, orgAccessTokenSchema } from './response-schemas.js';
import type { HubSchemas, SpecFields } from './spec-types.js';
import { assertAccountName, assertTokenLabel, toDateTime, validated } from './validation.js';

type SpecResource = HubSchemas['orgAccessTokenResource'];

/** The resource types the spec enumerates. */
export const OAT_RESOURCE_TYPES = ['TYPE_REPO', 'TYPE_ORG'] as const satisfies ReadonlyArray<
  SpecResource['type']
>;
export type OatResourceType = (typeof OAT_RESOURCE_TYPES)[number];

/**
 * The spec's `orgAccessTokenResource`, every field required (checked before any request). `path` is
 * `org/repo`, a glob such as `org/*`, or `*\/*\/public` for public repositories only; `scopes` are e.g.
 * `repo-pull` (the spec names no fixed list, so only their shape is checked).
 */
export interface OrgAccessTokenResource extends Required<SpecResource> {
  type: OatResourceType;
}

/** The spec's `getOrgAccessTokenResponse` (`orgAccessToken` with its resources), plus `description`. */
interface OrgAccessTokenFields
  extends Omit<SpecFields<HubSchemas['getOrgAccessTokenResponse'], 'id'>, 'resources'> {
  /** Sent on create and update; the spec's response schema lacks it. */
  description?: string;
  resources?: OrgAccessTokenResource[];
}

export interface OrgAccessToken extends OrgAccessTokenFields {
  [key: string]: unknown;
}

export interface CreatedOrgAccessToken extends OrgAccessTokenFields {
  /** The plaintext token (`dckr_oat_…`): shown by Docker Hub this once. */
  token: Secret;
}

/** The spec's `createOrgAccessTokenRequest`, with the label and resources required. */
export interface CreateOrgAccessTokenParams
  extends Omit<HubSchemas['createOrgAccessTokenRequest'], 'label' | 'resources' | 'expires_at'> {
  label: string;
  resources: OrgAccessTokenResource[];
  /** A date or date-time in the future; omitted means the token never expires. */
  expires_at?: string | Date;
}

/** The spec's `updateOrgAccessTokenRequest`; `resources` replaces the token's resources. */
export interface UpdateOrgAccessTokenParams
  extends Omit<HubSchemas['updateOrgAccessTokenRequest'], 'resources'> {
  resources?: OrgAccessTokenResource[];
}

/** The spec's `getOrgAccessTokensResponse` (`total`, not `count`). */
interface OrgAccessTokenPage extends Omit<HubSchemas['getOrgAccessTokensResponse'], 'results' | 'next'> {
  next?: string | null;
  results?: OrgAccessToken[];
}

const checkOrg = (org: string) => assertAccountName('organization', org);

function checkResources(resources: OrgAccessTokenResource[]): void {
  if (resources.length === 0)
    throw new ValidationError('give at least one resource (type, path and scopes) the token may access');
  for (const r of resources) {
    if (!OAT_RESOURCE_TYPES.includes(r.type))
      throw new ValidationError(`unknown resource type "${r.type}"; valid: ${OAT_RESOURCE_TYPES.join(', ')}`);
    if (!r.path?.trim()) throw new ValidationError(`resource of type ${r.type} needs a path`);
    if (!Array.isArray(r.scopes) || r.scopes.length === 0 || r.scopes.some((s) => !/^[\w:.-]+$/.test(s)))
      throw new ValidationError(`resource ${r.path} needs one or more scopes such as repo-pull`);
  }
}

export class OrgAccessTokens {
  constructor(private readonly hub: HubClient) {}

  list(org: string, query: { page?: number; page_size?: number } = {}): PagedList<OrgAccessToken> {
    checkOrg(org);
    return this.hub.list<OrgAccessToken>(
      {
        method: 'GET',
        path: path`/v2/orgs/${org}/access-tokens`,
        query,
        operation: 'docker.oat.list',
        schema: orgAccessTokenSchema,
        attributes: { org },
      },
      // This list counts with `total`, not `count`.
      (body) => {
        const page = (body ?? {}) as OrgAccessTokenPage;
        return { ...page, count: page.total };
      },
    );
  }

  async create(org: string, params: CreateOrgAccessTokenParams): Promise<CreatedOrgAccessToken> {
    checkOrg(org);
    assertTokenLabel(params.label);
    checkResources(params.resources);
    const expires = params.expires_at === undefined ? undefined : toDateTime(params.expires_at, 'expires_at');
    if (expires && Date.parse(expires) <= Date.now())
      throw new ValidationError(`expires_at ${expires} is in the past`);
    const created = await this.hub.call<OrgAccessToken & { token?: string }>({
      method: 'POST',
      path: path`/v2/orgs/${org}/access-tokens`,
      body: { ...params, expires_at: expires },
      operation: 'docker.oat.create',
      schema: createdOrgAccessTokenSchema,
      attributes: { org },
    });
    return { ...created, token: new Secret(created.token ?? '') };
  }

  get(org: string, id: string): APIPromise<OrgAccessToken> {
    return validated(
      () => checkOrg(org),
      () =>
        this.hub.call<OrgAccessToken>({
          method: 'GET',
          path: path`/v2/orgs/${org}/access-tokens/${id}`,
          operation: 'docker.oat.get',
          schema: orgAccessTokenSchema,
          attributes: { org },
        }),
    );
  }

  update(org: string, id: string, changes: UpdateOrgAccessTokenParams): APIPromise<OrgAccessToken> {
    const check = () => {
      checkOrg(org);
      if (Object.values(changes).every((v) => v === undefined))
        throw new ValidationError('nothing to update: give a label, description, resources or is_active');
      if (changes.label !== undefined) assertTokenLabel(changes.label);
      if (changes.resources !== undefined) checkResources(changes.resources);
    };
    return validated(check, () =>
      this.hub.call<OrgAccessToken>({
        method: 'PATCH',
        path: path`/v2/orgs/${org}/access-tokens/${id}`,
        body: changes,
        operation: 'docker.oat.update',
        schema: orgAccessTokenSchema,
        attributes: { org },
      }),
    );
  }

  /** Destructive: automation using the token stops working at once. */
  async delete(org: string, id: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`deleting access token ${id} of ${org}`);
    checkOrg(org);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/orgs/${org}/access-tokens/${id}`,
      operation: 'docker.oat.delete',
      attributes: { org },
    });
  }
}
