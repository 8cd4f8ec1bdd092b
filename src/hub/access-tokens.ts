/**
 * Personal access tokens (spec tag `access-tokens`). A new token's plaintext is returned once, by
 * `create`, as a `Secret`: it prints as [REDACTED] everywhere (logs, errors, JSON) unless revealed.
 */

import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import type { PagedList } from '../core/pagination.js';
import { Secret } from '../core/secret.js';
import type { HubClient } from './client.js';
import { path } from './path.js';
import { accessTokenSchema, createdAccessTokenSchema } from './response-schemas.js';
import type { HubSchemas, SpecFields } from './spec-types.js';
import { assertTokenLabel } from './validation.js';

export const PAT_SCOPES = ['repo:admin', 'repo:write', 'repo:read', 'repo:public_read'] as const;
export type PatScope = (typeof PAT_SCOPES)[number];

/** The spec's `accessToken`, without the plaintext `token` (returned once, by `create`, as a `Secret`). */
type AccessTokenFields = Omit<SpecFields<HubSchemas['accessToken'], 'uuid'>, 'token'>;

export interface AccessToken extends AccessTokenFields {
  [key: string]: unknown;
}

export interface CreatedAccessToken extends AccessTokenFields {
  /** The plaintext token: shown by Docker Hub this once. */
  token: Secret;
}

/** The spec's `createAccessTokenRequest`, with scopes narrowed to the ones Docker Hub accepts. */
export interface CreateAccessTokenParams extends SpecCreateParams {
  scopes: PatScope[];
  /** ISO 8601 date-time; omitted means the token never expires. */
  expires_at?: string;
}

/** The spec's `patchAccessTokenRequest`: a new label, or activate/deactivate. */
export type UpdateAccessTokenParams = HubSchemas['patchAccessTokenRequest'];

type SpecCreateParams = HubSchemas['createAccessTokenRequest'];

function validate(params: CreateAccessTokenParams): void {
  assertTokenLabel(params.token_label);
  if (params.scopes.length === 0)
    throw new ValidationError(`give at least one scope: ${PAT_SCOPES.join(', ')}`);
  for (const s of params.scopes) {
    if (!PAT_SCOPES.includes(s))
      throw new ValidationError(`unknown scope "${s}"; valid: ${PAT_SCOPES.join(', ')}`);
  }
  if (params.expires_at !== undefined && Number.isNaN(Date.parse(params.expires_at))) {
    throw new ValidationError(`expires_at "${params.expires_at}" is not a date-time`);
  }
}

export class AccessTokens {
  constructor(private readonly hub: HubClient) {}

  list(query: { page?: number; page_size?: number } = {}): PagedList<AccessToken> {
    return this.hub.list<AccessToken>({
      method: 'GET',
      path: '/v2/access-tokens',
      query,
      operation: 'docker.pat.list',
      schema: accessTokenSchema,
    });
  }

  async create(params: CreateAccessTokenParams): Promise<CreatedAccessToken> {
    validate(params);
    const created = await this.hub.call<AccessToken & { token?: string }>({
      method: 'POST',
      path: '/v2/access-tokens',
      body: params,
      operation: 'docker.pat.create',
      schema: createdAccessTokenSchema,
    });
    return { ...created, token: new Secret(created.token ?? '') };
  }

  get(uuid: string): APIPromise<AccessToken> {
    return this.hub.call<AccessToken>({
      method: 'GET',
      path: path`/v2/access-tokens/${uuid}`,
      operation: 'docker.pat.get',
      schema: accessTokenSchema,
    });
  }

  update(uuid: string, changes: UpdateAccessTokenParams): APIPromise<AccessToken> {
    return this.hub.call<AccessToken>({
      method: 'PATCH',
      path: path`/v2/access-tokens/${uuid}`,
      body: changes,
      operation: 'docker.pat.update',
      schema: accessTokenSchema,
    });
  }

  /** Destructive: the token stops working at once. */
  async delete(uuid: string): Promise<void> {
    this.hub.assertDestructiveAllowed(`deleting access token ${uuid}`);
    await this.hub.call<void>({
      method: 'DELETE',
      path: path`/v2/access-tokens/${uuid}`,
      operation: 'docker.pat.delete',
    });
  }
}
