/**
 * SCIM 2.0 provisioning (spec tag `scim`). SCIM calls carry the organization's own SCIM bearer token, not
 * a Hub JWT, and speak `application/scim+json`, so they take this small request path of their own over the
 * shared HttpTransport (retries, rate limits, typed errors). User lists page by `startIndex`/`count`.
 * Deactivating a user removes them from the organization: it needs `allowDestructive`, like a delete.
 */
import type { z } from 'zod';
import { APIPromise } from '../core/api-promise.js';
import { DestructiveOperationBlockedError, ValidationError } from '../core/errors.js';
import { PagedList } from '../core/pagination.js';
import { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import { HttpTransport, type TransportOptions } from '../core/transport.js';
import { DEFAULT_HUB_URL } from './client.js';
import { path } from './path.js';
import { readJsonResult } from './response-check.js';
import { scimUserListSchema, scimUserSchema } from './response-schemas.js';
import type { HubResponses, HubSchemas, Lenient, SpecQuery, SpecRequestBody } from './spec-types.js';
import { isEmail, validated } from './validation.js';

export const SCIM_MEDIA_TYPE = 'application/scim+json';
export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** The spec's `scim_user_name`. */
export type ScimName = HubSchemas['scim_user_name'];

/** A SCIM user (the spec's `scim_user`): `userName` is the email address, `displayName` the Docker ID. */
export type ScimUser = Lenient<HubSchemas['scim_user'], 'id'>;

/** The spec's `scim_resource_type`. */
export type ScimResourceType = Lenient<HubSchemas['scim_resource_type']>;

/** The spec's `scim_schema`. */
export type ScimSchema = Lenient<HubSchemas['scim_schema']>;

/** The spec's `scim_service_provider_config`. */
export type ScimServiceProviderConfig = Lenient<HubSchemas['scim_service_provider_config']>;

/** The spec's query parameters of `GET /v2/scim/2.0/Users`, plus a `userName` shortcut. */
export interface ScimUserListParams extends SpecQuery<'/v2/scim/2.0/Users', 'get'> {
  /** A SCIM filter, e.g. `userName eq "jon@example.com"`. */
  filter?: string;
  /** Shortcut for `filter: userName eq "…"`. */
  userName?: string;
  /** 1-based index of the first user (default 1). */
  startIndex?: number;
  /** Users per page, 1-200 (default 100). */
  count?: number;
  /** Comma-separated attributes to return. */
  attributes?: string;
}

/** The spec's create request, without `schemas` (the SDK sets it). */
export interface ScimCreateUserParams extends Omit<SpecRequestBody<'/v2/scim/2.0/Users', 'post'>, 'schemas'> {
  /** The user's email address. */
  userName: string;
  /** The Docker ID to give a new user (the server may choose another): RFC 7643's, not in Docker's schema. */
  displayName?: string;
}

/**
 * Hand-written against the spec's replace request: it names the flag `enabled` (RFC 7643, `active`) and
 * lacks `emails`. The SDK sends both flags.
 */
export interface ScimReplaceUserParams {
  /** Required on purpose: Docker treats an omitted value as false and deactivates the user. */
  active: boolean;
  name?: ScimName;
  emails?: Array<{ value: string; primary?: boolean }>;
}

/** The spec's list responses, with RFC 7644's `Resources` beside the spec's `resources`. */
interface ScimListResponse<T> extends Omit<SpecUsersPage, 'resources'> {
  /** RFC 7644 spells it `Resources`; Docker's published spec, `resources`. */
  Resources?: T[];
  resources?: T[];
}

type SpecUsersPage = NonNullable<HubResponses['scim_get_users_resp']['content']['application/scim+json']>;

const resourcesOf = <T>(r: ScimListResponse<T>): T[] => r.Resources ?? r.resources ?? [];

export interface ScimClientOptions extends TransportOptions {
  baseUrl?: string;
  /** The organization's SCIM token (default: env DOCKERHUB_SCIM_TOKEN). */
  token?: string | Secret;
  /** Share a transport (e.g. the HubClient's); otherwise the client owns one. */
  transport?: HttpTransport;
  /** Allow deactivating users (default: env DOCKERHUB_ALLOW_DESTRUCTIVE=true). */
  allowDestructive?: boolean;
}

/** `"…"` with quotes and backslashes escaped, for a SCIM filter value. */
export function scimString(value: string): string {
  return JSON.stringify(value);
}

function checkEmail(value: string, what: string): void {
  if (!isEmail(value)) throw new ValidationError(`${what} must be an email address, got "${value}"`);
}

export class ScimClient {
  readonly baseUrl: string;
  readonly transport: HttpTransport;
  readonly allowDestructive: boolean;
  readonly users: ScimUsers;
  readonly #token: Secret;
  readonly #ownsTransport: boolean;

  constructor(opts: ScimClientOptions = {}) {
    const token = opts.token ?? process.env.DOCKERHUB_SCIM_TOKEN;
    if (!token || (token instanceof Secret && !token.reveal()))
      throw new ValidationError('no SCIM token given; set DOCKERHUB_SCIM_TOKEN (SDK: the token option)');
    this.#token = Secret.from(token);
    this.baseUrl = (opts.baseUrl ?? process.env.DOCKERHUB_API_URL ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
    this.#ownsTransport = !opts.transport;
    this.transport = opts.transport ?? new HttpTransport(opts);
    this.allowDestructive = opts.allowDestructive ?? process.env.DOCKERHUB_ALLOW_DESTRUCTIVE === 'true';
    this.users = new ScimUsers(this);
  }

  /** One SCIM call: the SCIM bearer, the SCIM media type, typed errors carrying SCIM's `detail`. */
  request<T>(req: {
    method: string;
    path: string;
    query?: Record<string, string | number | undefined>;
    body?: unknown;
    operation: string;
    /** The expected response, checked leniently (a mismatch is logged, the data returned). */
    schema?: z.ZodType;
  }): APIPromise<T> {
    return APIPromise.from(() =>
      instrument(req.operation, {}, async () => {
        const url = new URL(`${this.baseUrl}/v2/scim/2.0${req.path}`);
        for (const [k, v] of Object.entries(req.query ?? {}))
          if (v !== undefined) url.searchParams.set(k, String(v));
        const body = req.body === undefined ? undefined : JSON.stringify(req.body);
        const res = await this.transport.request({
          method: req.method,
          url,
          headers: {
            accept: `${SCIM_MEDIA_TYPE}, application/json`,
            authorization: `Bearer ${this.#token.reveal()}`,
            ...(body !== undefined ? { 'content-type': SCIM_MEDIA_TYPE } : {}),
          },
          body,
        });
        return readJsonResult<T>(res, req.operation, req.schema, this.transport.logger);
      }),
    );
  }

  serviceProviderConfig(): APIPromise<ScimServiceProviderConfig> {
    return this.request({ method: 'GET', path: '/ServiceProviderConfig', operation: 'docker.scim.config' });
  }

  async resourceTypes(): Promise<ScimResourceType[]> {
    const list = await this.request<ScimListResponse<ScimResourceType>>({
      method: 'GET',
      path: '/ResourceTypes',
      operation: 'docker.scim.resource_types.list',
    });
    return resourcesOf(list);
  }

  resourceType(name: string): APIPromise<ScimResourceType> {
    return this.request({
      method: 'GET',
      path: path`/ResourceTypes/${name}`,
      operation: 'docker.scim.resource_types.get',
    });
  }

  async schemas(): Promise<ScimSchema[]> {
    const list = await this.request<ScimListResponse<ScimSchema>>({
      method: 'GET',
      path: '/Schemas',
      operation: 'docker.scim.schemas.list',
    });
    return resourcesOf(list);
  }

  schema(id: string): APIPromise<ScimSchema> {
    return this.request({ method: 'GET', path: path`/Schemas/${id}`, operation: 'docker.scim.schemas.get' });
  }

  async close(): Promise<void> {
    if (this.#ownsTransport) await this.transport.close();
  }
}

export class ScimUsers {
  constructor(private readonly scim: ScimClient) {}

  list(params: ScimUserListParams = {}): PagedList<ScimUser> {
    const { userName, startIndex = 1, count = 100, ...rest } = params;
    if (userName !== undefined && rest.filter !== undefined)
      throw new ValidationError('give either userName or filter, not both');
    if (!Number.isInteger(count) || count < 1 || count > 200)
      throw new ValidationError(`count must be an integer from 1 to 200, got ${count}`);
    if (!Number.isInteger(startIndex) || startIndex < 1)
      throw new ValidationError(`startIndex must be a positive integer, got ${startIndex}`);
    const filter = userName !== undefined ? `userName eq ${scimString(userName)}` : rest.filter;
    return new PagedList(async (cursor) => {
      const start = cursor ? Number(cursor) : startIndex;
      const page = await this.scim.request<ScimListResponse<ScimUser>>({
        method: 'GET',
        path: '/Users',
        query: { ...rest, filter, startIndex: start, count },
        operation: 'docker.scim.users.list',
        schema: scimUserListSchema,
      });
      const items = resourcesOf(page);
      const served = page.itemsPerPage ?? items.length;
      const nextIndex = (page.startIndex ?? start) + served;
      const more = served > 0 && page.totalResults !== undefined && nextIndex <= page.totalResults;
      return { items, next: more ? String(nextIndex) : undefined, total: page.totalResults };
    });
  }

  get(id: string): APIPromise<ScimUser> {
    return this.scim.request({
      method: 'GET',
      path: path`/Users/${id}`,
      operation: 'docker.scim.users.get',
      schema: scimUserSchema,
    });
  }

  create(params: ScimCreateUserParams): APIPromise<ScimUser> {
    return validated(
      () => checkEmail(params.userName, 'userName'),
      () =>
        this.scim.request({
          method: 'POST',
          path: '/Users',
          body: { schemas: [SCIM_USER_SCHEMA], ...params },
          operation: 'docker.scim.users.create',
          schema: scimUserSchema,
        }),
    );
  }

  /** Replaces name, emails and the active flag. `active: false` removes the user from the organization. */
  replace(id: string, params: ScimReplaceUserParams): APIPromise<ScimUser> {
    const check = () => {
      if (typeof params.active !== 'boolean')
        throw new ValidationError('say whether the user stays active (active: true or false)');
      if (!params.active && !this.scim.allowDestructive)
        throw new DestructiveOperationBlockedError(
          `deactivating SCIM user ${id} (removes them from the organization)`,
        );
      for (const e of params.emails ?? []) checkEmail(e.value, 'email');
    };
    return validated(check, () =>
      this.scim.request({
        method: 'PUT',
        path: path`/Users/${id}`,
        // RFC 7643 calls the flag `active`, Docker's spec `enabled`: send both so either reading agrees.
        body: { schemas: [SCIM_USER_SCHEMA], ...params, enabled: params.active },
        operation: 'docker.scim.users.replace',
        schema: scimUserSchema,
      }),
    );
  }
}
