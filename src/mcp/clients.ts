/**
 * The SDK clients behind the tools, made once per process and shared by every request (connection pools,
 * the Hub JWT cache and the rate-limit snapshots live there). One transport serves them all, so retries,
 * redaction, rate limits, typed errors and telemetry behave exactly as in the library. Each SDK module is
 * loaded on first use: a server that only ever lists tools never loads them.
 */
import type { CredentialOptions } from '../core/credentials.js';
import type { RateLimitInfo } from '../core/rate-limit.js';
import type { Secret } from '../core/secret.js';
import type { HttpTransport, TransportOptions } from '../core/transport.js';
import type { HubClient, ScimClient } from '../hub/index.js';
import type { RegistryClient } from '../registry/index.js';
import type { ScoutClient } from '../scout/index.js';

export interface McpClientsOptions extends Pick<TransportOptions, 'timeoutMs' | 'retry' | 'logger'> {
  /** Docker Hub API (default: env DOCKERHUB_API_URL, else https://hub.docker.com). */
  hubUrl?: string;
  /** Scout API (default: env DOCKERHUB_SCOUT_URL, else https://api.scout.docker.com). */
  scoutUrl?: string;
  /**
   * The organization whose Scout data to read when a call names none (default env
   * DOCKERHUB_SCOUT_ORG); without one, Scout reads public images only.
   */
  scoutOrganization?: string;
  /** Registries reached over plain HTTP (loopback always is). */
  insecureRegistries?: readonly string[];
  /** Let the SDK run destructive operations (the tools also hide them unless this is on). */
  allowDestructive?: boolean;
  /**
   * Credentials; default the SDK's chain (DOCKERHUB_JWT, DOCKER_HUB_USER/DOCKER_HUB_TOKEN,
   * DOCKERHUB_USERNAME/DOCKERHUB_TOKEN, the Docker login). Never from tool arguments.
   */
  credentials?: CredentialOptions;
  /** The SCIM bearer token (default env DOCKERHUB_SCIM_TOKEN). */
  scimToken?: string | Secret;
}

export class McpClients {
  readonly options: McpClientsOptions;
  #transport: Promise<HttpTransport> | undefined;
  #hub: Promise<HubClient> | undefined;
  #registry: Promise<RegistryClient> | undefined;
  #scout: Promise<ScoutClient> | undefined;
  #scim: Promise<ScimClient> | undefined;
  #transportValue: HttpTransport | undefined;
  readonly #extra = new Set<{ close(): Promise<void> }>();

  constructor(options: McpClientsOptions = {}) {
    this.options = options;
  }

  #shared(): Promise<HttpTransport> {
    this.#transport ??= import('../core/transport.js').then(({ HttpTransport }) => {
      this.#transportValue = new HttpTransport({
        timeoutMs: this.options.timeoutMs,
        retry: this.options.retry,
        logger: this.options.logger,
      });
      return this.#transportValue;
    });
    return this.#transport;
  }

  hub(): Promise<HubClient> {
    this.#hub ??= Promise.all([import('../hub/index.js'), this.#shared()]).then(
      ([{ HubClient }, transport]) =>
        new HubClient({
          baseUrl: this.options.hubUrl,
          transport,
          credentials: this.options.credentials,
          allowDestructive: this.options.allowDestructive ?? false,
        }),
    );
    return this.#hub;
  }

  registry(): Promise<RegistryClient> {
    this.#registry ??= Promise.all([import('../registry/index.js'), this.hub()]).then(
      ([{ RegistryClient }, hub]) =>
        new RegistryClient({
          transport: hub.transport,
          credentials: hub.credentials,
          insecureRegistries: this.options.insecureRegistries ?? [],
          allowDestructive: this.options.allowDestructive ?? false,
        }),
    );
    return this.#registry;
  }

  scout(): Promise<ScoutClient> {
    this.#scout ??= Promise.all([import('../scout/index.js'), this.hub(), this.registry()]).then(
      ([{ ScoutClient }, hub, registry]) =>
        new ScoutClient({
          baseUrl: this.options.scoutUrl,
          hub,
          registry,
          organization: this.options.scoutOrganization,
          insecureRegistries: this.options.insecureRegistries,
        }),
    );
    return this.#scout;
  }

  /** SCIM takes its own token, from DOCKERHUB_SCIM_TOKEN only. */
  scim(): Promise<ScimClient> {
    this.#scim ??= this.hub().then((hub) => hub.scim(this.options.scimToken));
    // A missing token is a clear error now, and not remembered: the next call tries again.
    this.#scim.catch(() => {
      this.#scim = undefined;
    });
    return this.#scim;
  }

  /**
   * A Hub client for explicit credentials (the login actions): same URL and transport, nothing cached
   * beyond the call. The caller closes it.
   */
  async hubWith(credentials: CredentialOptions): Promise<HubClient> {
    const [{ HubClient }, transport] = await Promise.all([import('../hub/index.js'), this.#shared()]);
    return new HubClient({
      baseUrl: this.options.hubUrl,
      transport,
      credentials: { ...credentials, env: {}, useDockerConfig: false },
      allowDestructive: false,
    });
  }

  /** The latest limit snapshot of a kind, from any response any client has seen. */
  rateLimit(kind: 'hub' | 'registry'): RateLimitInfo | undefined {
    return this.#transportValue?.rateLimits[kind];
  }

  /** Keeps something to close with the clients (an emulator started for them). */
  onClose(resource: { close(): Promise<void> }): void {
    this.#extra.add(resource);
  }

  async close(): Promise<void> {
    const transport = this.#transportValue;
    this.#transport = this.#hub = this.#registry = this.#scout = this.#scim = undefined;
    this.#transportValue = undefined;
    await transport?.close();
    for (const r of this.#extra) await r.close();
    this.#extra.clear();
  }
}
