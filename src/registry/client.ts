/**
 * OCI distribution client for any registry (Docker Hub by default). This file holds the request loop
 * (URL building, scheme choice, auth and one re-challenge); the resources (manifests, blobs, tags,
 * referrers) are thin layers over `RegistryClient.fetch`.
 */
import { type CredentialOptions, CredentialResolver } from '../core/credentials.js';
import { DestructiveOperationBlockedError, PermissionDeniedError, ValidationError } from '../core/errors.js';
import type { RateLimitInfo } from '../core/rate-limit.js';
import {
  type HttpRequest,
  type HttpResponse,
  HttpTransport,
  type TransportOptions,
} from '../core/transport.js';
import { type ImageReference, parseReference, registryHost } from '../reference/index.js';
import { parseChallenge, RegistryAuth, repositoryScope } from './auth.js';
import { Blobs } from './blobs.js';
import { Manifests } from './manifests.js';
import { Referrers } from './referrers.js';
import { Tags } from './tags.js';
import { Uploads } from './uploads.js';

export type RepoAction = 'pull' | 'push' | 'delete';

export interface RegistryRequest {
  /** The repository the request is about. */
  repo: Pick<ImageReference, 'registry' | 'repository'>;
  method: string;
  /** Path below `/v2/<name>/`, e.g. `manifests/latest`; or an absolute URL (upload locations, Link). */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  body?: HttpRequest['body'];
  /** Token scope actions; default ['pull']. */
  actions?: readonly RepoAction[];
  /** Additional scopes, e.g. pull on the source repository of a cross-repository mount. */
  extraScopes?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  idempotent?: boolean;
  /** Statuses returned to the caller instead of thrown (e.g. 404 for an existence check). */
  allowStatus?: readonly number[];
  followRedirects?: boolean;
}

export interface RegistryClientOptions extends TransportOptions {
  /** Share a transport (pool, breakers, rate limits) with other clients. */
  transport?: HttpTransport;
  credentials?: CredentialResolver | CredentialOptions;
  /** Hosts contacted over plain HTTP. Loopback hosts (127.0.0.0/8, localhost, [::1]) always are. */
  insecureRegistries?: readonly string[];
  /** Largest manifest we accept, in bytes (default 8 MiB). */
  maxManifestBytes?: number;
  /** Allow deletes (default: env DOCKERHUB_ALLOW_DESTRUCTIVE=true). */
  allowDestructive?: boolean;
}

export function isLoopbackHost(host: string): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname ?? '')
  );
}

export class RegistryClient {
  readonly transport: HttpTransport;
  readonly auth: RegistryAuth;
  readonly credentials: CredentialResolver;
  readonly manifests: Manifests;
  readonly blobs: Blobs;
  readonly tags: Tags;
  readonly referrers: Referrers;
  readonly uploads: Uploads;
  readonly maxManifestBytes: number;
  readonly allowDestructive: boolean;
  readonly #insecure: Set<string>;
  readonly #ownsTransport: boolean;

  constructor(opts: RegistryClientOptions = {}) {
    this.#ownsTransport = !opts.transport;
    this.transport = opts.transport ?? new HttpTransport(opts);
    this.credentials =
      opts.credentials instanceof CredentialResolver
        ? opts.credentials
        : new CredentialResolver(opts.credentials);
    this.auth = new RegistryAuth(this.transport, this.credentials);
    this.#insecure = new Set(opts.insecureRegistries ?? []);
    this.maxManifestBytes = opts.maxManifestBytes ?? 8 * 1024 * 1024;
    this.manifests = new Manifests(this);
    this.blobs = new Blobs(this);
    this.tags = new Tags(this);
    this.referrers = new Referrers(this);
    this.uploads = new Uploads(this);
    this.allowDestructive = opts.allowDestructive ?? process.env.DOCKERHUB_ALLOW_DESTRUCTIVE === 'true';
  }

  /** The safety model: deletes are refused unless explicitly allowed. */
  assertDestructiveAllowed(operation: string): void {
    if (!this.allowDestructive) throw new DestructiveOperationBlockedError(operation);
  }

  /** Latest registry pull-limit snapshot (`ratelimit-*` headers), if any response carried one. */
  get rateLimit(): RateLimitInfo | undefined {
    return this.transport.rateLimits.registry;
  }

  /** Accepts a reference string or a parsed reference. */
  ref(input: string | ImageReference): ImageReference {
    return typeof input === 'string' ? parseReference(input) : input;
  }

  /** `https://registry-1.docker.io` for Docker Hub; `http://` only for loopback and listed insecure hosts. */
  baseUrl(registry: string): string {
    const host = registryHost(registry);
    const plain = isLoopbackHost(host) || this.#insecure.has(host) || this.#insecure.has(registry);
    return `${plain ? 'http' : 'https'}://${host}`;
  }

  repoUrl(repo: RegistryRequest['repo'], path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    const name = repo.repository
      .split('/')
      .map((part) => encodeURIComponent(part))
      .join('/');
    return `${this.baseUrl(repo.registry)}/v2/${name}/${path}`;
  }

  /** Absolute URLs the registry hands us (Location, Link) must stay on that registry's origin. */
  #checkSameOrigin(repo: RegistryRequest['repo'], url: URL): void {
    const base = new URL(this.baseUrl(repo.registry));
    if (url.origin !== base.origin) {
      throw new ValidationError(`refusing to follow ${url.origin}: not the registry ${base.origin}`);
    }
  }

  /**
   * Sends an authorised request to a repository endpoint. Authorisation is added up front when the
   * host's challenge is known; a 401 is answered once with a fresh token. Statuses >= 400 throw typed
   * errors unless listed in `allowStatus`.
   */
  async fetch(req: RegistryRequest): Promise<HttpResponse> {
    const url = new URL(this.repoUrl(req.repo, req.path));
    if (/^https?:\/\//.test(req.path)) this.#checkSameOrigin(req.repo, url);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const host = registryHost(req.repo.registry);
    const scopes = [
      repositoryScope(req.repo.repository, req.actions ?? ['pull']),
      ...(req.extraScopes ?? []),
    ];
    const send = (authorization: string | undefined) =>
      this.transport.send({
        method: req.method,
        url,
        headers: { ...req.headers, authorization },
        body: req.body,
        signal: req.signal,
        timeoutMs: req.timeoutMs,
        idempotent: req.idempotent,
        followRedirects: req.followRedirects,
      });

    const initial = await this.auth.authorization(host, scopes, req.signal);
    let res = await send(initial);
    if (res.status === 401 && isReplayableBody(req.body)) {
      const authorization = await this.auth.answerChallenge(
        host,
        res.headers['www-authenticate'],
        scopes,
        initial,
        req.signal,
      );
      if (authorization) {
        await res.body.dump().catch(() => undefined);
        res = await send(authorization);
      }
    }
    if (res.status < 400 || req.allowStatus?.includes(res.status)) return res;
    const err = await this.transport.toError(res);
    // A token without the scope asked for: whoever we are (anonymous included) may not do this here.
    if (res.status === 401 && /error="?insufficient_scope/.test(res.headers['www-authenticate'] ?? '')) {
      const wanted = (req.actions ?? ['pull']).join(',');
      throw new PermissionDeniedError(
        `${err.message}: no ${wanted} access to ${req.repo.registry}/${req.repo.repository} for these credentials (or it does not exist)`,
        {
          status: err.status,
          method: err.method,
          url: err.url,
          requestId: err.requestId,
          code: err.code,
          body: err.body,
        },
      );
    }
    throw err;
  }

  /** `GET /v2/`: whether the registry answers, its API version, and which auth it wants. */
  async ping(registry = 'docker.io', signal?: AbortSignal): Promise<PingResult> {
    const url = `${this.baseUrl(registry)}/v2/`;
    const res = await this.transport.send({ method: 'GET', url, signal });
    if (res.status >= 400 && res.status !== 401) throw await this.transport.toError(res);
    await res.body.dump();
    const challenge = parseChallenge(res.headers['www-authenticate']);
    return {
      registry,
      url,
      apiVersion: res.headers['docker-distribution-api-version'],
      authRequired: res.status === 401,
      authScheme: challenge?.scheme,
      realm: challenge?.realm,
      service: challenge?.service,
    };
  }

  async close(): Promise<void> {
    if (this.#ownsTransport) await this.transport.close();
  }
}

export interface PingResult {
  registry: string;
  url: string;
  apiVersion?: string;
  authRequired: boolean;
  authScheme?: 'bearer' | 'basic';
  realm?: string;
  service?: string;
}

function isReplayableBody(body: HttpRequest['body']): boolean {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}
