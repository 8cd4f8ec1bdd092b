/**
 * Docker Hub management API client (hub.docker.com). One request loop: URL building with encoded path
 * segments, the JWT bearer, one transparent re-mint on 401, typed errors, `next`-URL pagination, and the
 * safety switch for destructive operations. Resources are thin files beside this one.
 */
import type { z } from 'zod';
import { APIPromise } from '../core/api-promise.js';
import { type CredentialOptions, CredentialResolver } from '../core/credentials.js';
import { DestructiveOperationBlockedError, ValidationError } from '../core/errors.js';
import { type Page, PagedList } from '../core/pagination.js';
import type { RateLimitInfo } from '../core/rate-limit.js';
import type { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import { type HttpResponse, HttpTransport, type TransportOptions } from '../core/transport.js';
import { AccessTokens } from './access-tokens.js';
import { AuditLogs } from './audit-logs.js';
import { HubAuth } from './auth.js';
import { LegacyAuth } from './legacy-auth.js';
import { OrgAccessTokens } from './org-access-tokens.js';
import { Orgs } from './orgs.js';
import { Repositories } from './repositories.js';
import { checkResponse, readJsonResult } from './response-check.js';
import { hubPage } from './response-schemas.js';
import { ScimClient } from './scim.js';
import { Search } from './search.js';
import type { HubSchemas } from './spec-types.js';
import { HubTags } from './tags.js';
import { Users } from './users.js';

export { path } from './path.js';

export const DEFAULT_HUB_URL = 'https://hub.docker.com';

export interface HubClientOptions extends TransportOptions {
  baseUrl?: string;
  transport?: HttpTransport;
  credentials?: CredentialResolver | CredentialOptions;
  /** Allow deletes and org-settings writes (default: env DOCKERHUB_ALLOW_DESTRUCTIVE=true). */
  allowDestructive?: boolean;
}

export interface HubRequest {
  method: string;
  /** Path template segments are encoded by `path()`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Extra request headers (e.g. `accept: text/csv` for an export). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses returned instead of thrown (e.g. 404 for HEAD existence checks). */
  allowStatus?: number[];
  /** Telemetry operation name, e.g. docker.repo.list; also names the operation in validation warnings. */
  operation: string;
  /**
   * The expected response (for `list`, one item): checked leniently, a mismatch is logged as one warning
   * and the data returned as is (Docker's response schemas lag the live API).
   */
  schema?: z.ZodType;
  attributes?: Record<string, string | number | undefined>;
}

type SpecPage = HubSchemas['page'];

/** A Hub list page: the spec's `page` (`count`, `next`, `previous`) with its `results`. */
export interface HubPageResponse<T> extends SpecPage {
  results?: T[];
}

export class HubClient {
  readonly baseUrl: string;
  readonly transport: HttpTransport;
  readonly credentials: CredentialResolver;
  readonly auth: HubAuth;
  readonly allowDestructive: boolean;
  readonly repositories: Repositories;
  readonly tags: HubTags;
  readonly users: Users;
  readonly accessTokens: AccessTokens;
  /** The deprecated username/password login and its two-factor step (explicit calls only). */
  readonly legacyAuth: LegacyAuth;
  /** Undocumented endpoint: catalog search (search v4). */
  readonly search: Search;
  readonly orgAccessTokens: OrgAccessTokens;
  readonly auditLogs: AuditLogs;
  /** Organizations: settings, members, invites, teams. */
  readonly orgs: Orgs;
  readonly #ownsTransport: boolean;

  constructor(opts: HubClientOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? process.env.DOCKERHUB_API_URL ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
    this.#ownsTransport = !opts.transport;
    this.transport = opts.transport ?? new HttpTransport(opts);
    this.credentials =
      opts.credentials instanceof CredentialResolver
        ? opts.credentials
        : new CredentialResolver(opts.credentials);
    this.auth = new HubAuth(this.transport, this.credentials, this.baseUrl);
    this.allowDestructive = opts.allowDestructive ?? process.env.DOCKERHUB_ALLOW_DESTRUCTIVE === 'true';
    this.repositories = new Repositories(this);
    this.tags = new HubTags(this);
    this.users = new Users(this);
    this.accessTokens = new AccessTokens(this);
    this.legacyAuth = new LegacyAuth(this);
    this.search = new Search(this);
    this.orgAccessTokens = new OrgAccessTokens(this);
    this.auditLogs = new AuditLogs(this);
    this.orgs = new Orgs(this);
  }

  /** A SCIM client on this client's base URL and transport; SCIM takes its own token, not the JWT. */
  scim(token?: string | Secret): ScimClient {
    return new ScimClient({
      baseUrl: this.baseUrl,
      transport: this.transport,
      token,
      allowDestructive: this.allowDestructive,
    });
  }

  get rateLimit(): RateLimitInfo | undefined {
    return this.transport.rateLimits.hub;
  }

  assertDestructiveAllowed(operation: string): void {
    if (!this.allowDestructive) throw new DestructiveOperationBlockedError(operation);
  }

  /** Sends a request with the bearer; on 401 re-mints the JWT once and retries. */
  async send(req: HubRequest): Promise<HttpResponse> {
    const url = new URL(/^https?:\/\//.test(req.path) ? req.path : `${this.baseUrl}${req.path}`);
    if (url.origin !== new URL(this.baseUrl).origin)
      throw new ValidationError(`refusing to follow ${url.origin}`);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const attempt = async (token: string | undefined) =>
      this.transport.send({
        method: req.method,
        url,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...req.headers,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
        signal: req.signal,
      });
    const token = await this.auth.token(req.signal);
    let res = await attempt(token);
    if (res.status === 401 && token && this.auth.invalidate(token)) {
      await res.body.dump();
      res = await attempt(await this.auth.token(req.signal));
    }
    if (res.status < 400 || req.allowStatus?.includes(res.status)) return res;
    throw await this.transport.toError(res);
  }

  /**
   * A JSON call as an APIPromise (`.withResponse()` gives status, headers and rate limit). A body that is
   * not JSON is an InvalidResponseError; one that does not match `req.schema` is logged and returned.
   */
  call<T>(req: HubRequest): APIPromise<T> {
    return APIPromise.from(() =>
      instrument(req.operation, req.attributes ?? {}, async () => {
        const res = await this.send(req);
        return readJsonResult<T>(res, req.operation, req.schema, this.transport.logger, {
          noBody: req.method === 'HEAD',
        });
      }),
    );
  }

  /**
   * A Hub list (`count`/`next`/`results`) as a PagedList: `for await` walks every item, page by page.
   * `req.schema` describes one item; each page is checked as a Hub page of them, after `toPage` has read
   * the body as one (for the endpoints whose lists are shaped otherwise).
   */
  list<T>(
    req: HubRequest,
    toPage: (body: unknown) => HubPageResponse<T> = (body) => (body ?? {}) as HubPageResponse<T>,
  ): PagedList<T> {
    const { schema, ...unchecked } = req;
    const pageSchema = schema ? hubPage(schema) : undefined;
    return new PagedList<T>(async (cursor): Promise<Page<T>> => {
      const body = await this.call<unknown>(
        cursor ? { ...unchecked, path: cursor, query: undefined } : unchecked,
      );
      const page = toPage(body);
      checkResponse(pageSchema, body === undefined ? undefined : page, req.operation, this.transport.logger);
      return { items: page.results ?? [], next: page.next ?? undefined, total: page.count };
    });
  }

  async close(): Promise<void> {
    if (this.#ownsTransport) await this.transport.close();
  }
}
