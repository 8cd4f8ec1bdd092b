/**
 * Docker Scout client. Scout has no REST API spec: its interface is GraphQL at `POST /v1/graphql` on
 * api.scout.docker.com with the Docker Hub JWT as bearer (what Docker's own Hub MCP server does), plus
 * the Prometheus metrics exporter, the one endpoint Docker documents. This file is the request loop;
 * each feature (summary, CVEs, SBOM, recommendations, policy, compare, metrics) is a file beside it.
 */
import { makeHttpError, ValidationError } from '../core/errors.js';
import { redactValue } from '../core/redact.js';
import { Secret } from '../core/secret.js';
import { instrument } from '../core/telemetry.js';
import type { HttpTransport } from '../core/transport.js';
import { HubClient, type HubClientOptions } from '../hub/client.js';
import type { ImageReference } from '../reference/index.js';
import { RegistryClient } from '../registry/client.js';
import { compareImages } from './compare.js';
import type { ScoutContext, ScoutDocument } from './document.js';
import { type GraphQLErrorBody, scoutGraphQLError } from './errors.js';
import { fetchOrgMetrics, fetchOrgMetricsText, type OrgMetrics } from './metrics.js';
import { imagePackages } from './packages.js';
import { orgPolicies, policyReport } from './policy.js';
import { recommendations } from './recommendations.js';
import { resolveImage } from './resolve.js';
import { type SbomDocument, type SbomFormat, sbom } from './sbom.js';
import { imageSummary } from './summary.js';
import type {
  ImageComparison,
  ImageOptions,
  ImagePackages,
  ImageSummary,
  ImageTarget,
  OrgPolicies,
  PolicyReport,
  Recommendations,
  Severity,
  VulnerabilityReport,
} from './types.js';
import { imageVulnerabilities } from './vulnerabilities.js';

export const DEFAULT_SCOUT_URL = 'https://api.scout.docker.com';

export interface ScoutClientOptions extends Omit<HubClientOptions, 'baseUrl'> {
  /** Scout API base URL (default: env DOCKERHUB_SCOUT_URL, else https://api.scout.docker.com). */
  baseUrl?: string;
  /** Share this Hub client's JWT and transport; otherwise one is made from these options. */
  hub?: HubClient;
  /** Hub API URL for minting JWTs when no `hub` is given (default: HubClient's). */
  hubUrl?: string;
  /** Registry client used to resolve tags to digests (default: one sharing the transport). */
  registry?: RegistryClient;
  /** Registries reached over plain HTTP when resolving tags (loopback always is). */
  insecureRegistries?: readonly string[];
  /**
   * Default organization for queries (`Context.organization`; default: env DOCKERHUB_SCOUT_ORG); without
   * one, queries read public data only.
   */
  organization?: string;
  /**
   * Bearer for the metrics exporter: a personal access token of an owner of the organization
   * (default: env DOCKERHUB_SCOUT_TOKEN, else the Hub credential when it is a PAT).
   */
  exporterToken?: string | Secret;
}

export interface QueryOptions {
  signal?: AbortSignal;
}

export class ScoutClient {
  readonly baseUrl: string;
  readonly hub: HubClient;
  readonly organization: string | undefined;
  readonly #ownsHub: boolean;
  readonly #insecure: readonly string[];
  readonly #exporterToken: Secret | undefined;
  #registry: RegistryClient | undefined;
  readonly #ownsRegistry: boolean;

  constructor(hubOrOptions: HubClient | ScoutClientOptions = {}) {
    const opts: ScoutClientOptions = hubOrOptions instanceof HubClient ? { hub: hubOrOptions } : hubOrOptions;
    this.baseUrl = (opts.baseUrl ?? process.env.DOCKERHUB_SCOUT_URL ?? DEFAULT_SCOUT_URL).replace(/\/+$/, '');
    this.#ownsHub = !opts.hub;
    this.hub = opts.hub ?? new HubClient({ ...opts, baseUrl: opts.hubUrl });
    this.organization = opts.organization ?? (process.env.DOCKERHUB_SCOUT_ORG || undefined);
    this.#insecure = opts.insecureRegistries ?? [];
    this.#registry = opts.registry;
    this.#ownsRegistry = !opts.registry;
    const token = opts.exporterToken ?? process.env.DOCKERHUB_SCOUT_TOKEN;
    this.#exporterToken = token ? Secret.from(token) : undefined;
  }

  get transport(): HttpTransport {
    return this.hub.transport;
  }

  /** The registry client that resolves tags to digests (made on first use). */
  get registry(): RegistryClient {
    this.#registry ??= new RegistryClient({
      transport: this.transport,
      credentials: this.hub.credentials,
      insecureRegistries: this.#insecure,
    });
    return this.#registry;
  }

  /** The `Context` argument every Scout query takes. */
  context(organization?: string): ScoutContext {
    const org = organization ?? this.organization;
    return org ? { organization: org } : {};
  }

  /**
   * Runs one document from the registry (`documents/`). GraphQL errors throw typed errors even when the
   * HTTP status is 200; an expired JWT is re-minted once.
   */
  query<V, R>(doc: ScoutDocument<V, R>, variables: V, opts: QueryOptions = {}): Promise<R> {
    return instrument('docker.scout.graphql', { 'graphql.operation.name': doc.operationName }, async () => {
      const url = `${this.baseUrl}/v1/graphql`;
      const body = JSON.stringify({ operationName: doc.operationName, query: doc.source, variables });
      const attempt = async (token: string | undefined) => {
        const res = await this.transport.send({
          method: 'POST',
          url,
          headers: {
            accept: 'application/graphql-response+json, application/json',
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body,
          // A query changes nothing: repeating it after a 5xx or 429 is safe.
          idempotent: true,
          signal: opts.signal,
        });
        const text = await res.body.text();
        return { res, text, json: parseJson(text) };
      };
      const token = await this.hub.auth.token(opts.signal);
      let reply = await attempt(token);
      if (isUnauthenticated(reply.res.status, reply.json) && token && this.hub.auth.invalidate(token)) {
        reply = await attempt(await this.hub.auth.token(opts.signal));
      }
      const { res, text, json } = reply;
      const errors = graphqlErrors(json);
      const ctx = {
        httpStatus: res.status,
        method: 'POST',
        url,
        operationName: doc.operationName,
        requestId: res.requestId,
      };
      if (errors.length > 0) throw scoutGraphQLError(errors, ctx);
      if (res.status >= 400) {
        throw makeHttpError({
          status: res.status,
          method: 'POST',
          url,
          requestId: res.requestId,
          body: redactValue(json ?? text.slice(0, 300)),
        });
      }
      const data = (json as { data?: unknown } | undefined)?.data;
      if (data === undefined || data === null)
        throw scoutGraphQLError([{ message: 'the answer carried no data' }], { ...ctx, httpStatus: 502 });
      return data as R;
    });
  }

  /** Resolves an image argument (reference, `repo@digest`, or a bare `sha256:` digest) to a digest. */
  resolve(image: string | ImageReference, opts: ImageOptions = {}): Promise<ImageTarget> {
    return resolveImage(this.registry, image, opts);
  }

  /** Vulnerability counts by severity, and the base image Scout matched. */
  summary(image: string | ImageReference, opts: ImageOptions = {}): Promise<ImageSummary> {
    return imageSummary(this, image, opts);
  }

  /** Every vulnerability of the image (optionally only some severities), worst first. */
  vulnerabilities(
    image: string | ImageReference,
    opts: ImageOptions & { severities?: readonly Severity[] } = {},
  ): Promise<VulnerabilityReport> {
    return imageVulnerabilities(this, image, opts);
  }

  /** The packages Scout indexed in the image, with licenses and locations. */
  packages(image: string | ImageReference, opts: ImageOptions = {}): Promise<ImagePackages> {
    return imagePackages(this, image, opts);
  }

  /** An SBOM of the image as SPDX 2.3 JSON or CycloneDX 1.5 JSON (built from `packages`). */
  sbom(
    image: string | ImageReference,
    opts: ImageOptions & { format: SbomFormat; created?: Date },
  ): Promise<SbomDocument> {
    return sbom(this, image, opts);
  }

  /** The base image, and the tags of its repository Scout recommends instead of the current one. */
  recommendations(image: string | ImageReference, opts: ImageOptions = {}): Promise<Recommendations> {
    return recommendations(this, image, opts);
  }

  /** The image's results against its organization's policies, with the organization's summaries. */
  policy(
    image: string | ImageReference,
    opts: ImageOptions & { stream?: string } = {},
  ): Promise<PolicyReport> {
    return policyReport(this, image, opts);
  }

  /** The organization's policies, with how many of its images comply in `stream`. */
  policies(
    opts: { organization?: string; stream?: string; signal?: AbortSignal } = {},
  ): Promise<OrgPolicies> {
    return orgPolicies(this, opts);
  }

  /** Packages and vulnerabilities added, removed and changed from one image to another. */
  compare(
    from: string | ImageReference,
    to: string | ImageReference,
    opts: ImageOptions = {},
  ): Promise<ImageComparison> {
    return compareImages(this, from, to, opts);
  }

  /** The organization's metrics from the Prometheus exporter, parsed into typed samples. */
  metrics(
    organization: string,
    opts: { token?: string | Secret; signal?: AbortSignal } = {},
  ): Promise<OrgMetrics> {
    return fetchOrgMetrics(this, organization, opts);
  }

  /** The exporter's Prometheus text as served. */
  metricsText(
    organization: string,
    opts: { token?: string | Secret; signal?: AbortSignal } = {},
  ): Promise<string> {
    return fetchOrgMetricsText(this, organization, opts);
  }

  /**
   * The exporter's bearer: Docker documents a personal access token of an organization owner. A password
   * is never sent as a bearer: without a PAT this refuses before any request.
   */
  async exporterToken(explicit?: string | Secret): Promise<string> {
    const given = explicit ?? this.#exporterToken;
    if (given) return Secret.from(given).reveal();
    const credential = await this.hub.credentials.forHub();
    if (credential.kind === 'basic' && credential.secret.reveal().startsWith('dckr_pat_'))
      return credential.secret.reveal();
    throw new ValidationError(
      'the Scout metrics exporter needs a personal access token (dckr_pat_…) of an organization owner: set DOCKERHUB_SCOUT_TOKEN, or use a PAT as DOCKER_HUB_TOKEN',
    );
  }

  async close(): Promise<void> {
    if (this.#ownsRegistry && this.#registry) await this.#registry.close();
    if (this.#ownsHub) await this.hub.close();
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function graphqlErrors(json: unknown): GraphQLErrorBody[] {
  const errors = (json as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter((e): e is GraphQLErrorBody => typeof e === 'object' && e !== null);
}

function isUnauthenticated(status: number, json: unknown): boolean {
  return status === 401 || graphqlErrors(json).some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}
