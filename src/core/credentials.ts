/**
 * Credential resolution, first found wins: explicit options → DOCKERHUB_JWT → DOCKER_HUB_USER/TOKEN →
 * DOCKERHUB_USERNAME/TOKEN → the Docker CLI config (auths, credHelpers, credsStore) → anonymous.
 * Environment credentials belong to Docker Hub and are never sent to another registry. Every secret is
 * wrapped in `Secret` as soon as it is read.
 */
import { credentialHelperGet } from './credential-helper.js';
import {
  configKeyHost,
  DOCKER_HUB_CONFIG_KEYS,
  type DockerAuthEntry,
  type DockerConfig,
  dockerConfigDir,
  readDockerConfig,
} from './docker-config.js';
import { ValidationError } from './errors.js';
import { Secret } from './secret.js';

export type CredentialSource =
  | 'options'
  | 'env:DOCKERHUB_JWT'
  | 'env:DOCKER_HUB_USER'
  | 'env:DOCKERHUB_USERNAME'
  | 'docker-config'
  | 'credential-helper'
  | 'anonymous';

export type Credential =
  | { kind: 'jwt'; token: Secret; source: CredentialSource }
  | { kind: 'basic'; username: string; secret: Secret; source: CredentialSource }
  | { kind: 'identity-token'; token: Secret; source: CredentialSource }
  | { kind: 'anonymous'; source: 'anonymous' };

export interface CredentialOptions {
  username?: string;
  password?: string | Secret;
  /** Alias of `password`: a PAT or organization access token. */
  token?: string | Secret;
  /** A pre-minted Docker Hub JWT. */
  jwt?: string | Secret;
  env?: NodeJS.ProcessEnv;
  dockerConfigDir?: string;
  useDockerConfig?: boolean;
}

const ANONYMOUS: Credential = { kind: 'anonymous', source: 'anonymous' };
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'hub.docker.com']);
/** What Docker Hub's entry is called in a Docker config and by credential helpers. */
export const DOCKER_HUB_SERVER_URL = 'https://index.docker.io/v1/';

export function isDockerHubHost(host: string): boolean {
  return HUB_HOSTS.has(host.toLowerCase());
}

/** Whether a Docker config key (`auths`, `credHelpers`) means Docker Hub: the writer and the reader agree on it. */
export function isDockerHubConfigKey(key: string): boolean {
  return DOCKER_HUB_CONFIG_KEYS.includes(key) || isDockerHubHost(configKeyHost(key));
}

export class CredentialResolver {
  readonly #opts: CredentialOptions;
  readonly #env: NodeJS.ProcessEnv;
  readonly #cache = new Map<string, Promise<Credential>>();
  #config: Promise<DockerConfig> | undefined;

  constructor(opts: CredentialOptions = {}) {
    this.#opts = opts;
    this.#env = opts.env ?? process.env;
    this.#validate();
  }

  /** Credentials for a registry host; Docker Hub's aliases share one entry. Cached per host. */
  forRegistry(host: string): Promise<Credential> {
    const key = isDockerHubHost(host) ? 'docker.io' : host.toLowerCase();
    let pending = this.#cache.get(key);
    if (!pending) {
      pending = this.#resolve(key);
      this.#cache.set(key, pending);
      pending.catch(() => this.#cache.delete(key));
    }
    return pending;
  }

  /** Credentials for the Hub API and Scout (Docker Hub's entry). */
  forHub(): Promise<Credential> {
    return this.forRegistry('docker.io');
  }

  /** A half-set pair is a mistake worth saying, not a silent fall-through to anonymous. */
  #validate(): void {
    const o = this.#opts;
    const secret = o.password ?? o.token;
    if (o.username !== undefined && secret === undefined) {
      throw new ValidationError('credentials: username given without a password or token');
    }
    if (secret !== undefined && o.username === undefined) {
      throw new ValidationError('credentials: password or token given without a username');
    }
    for (const [user, token] of [
      ['DOCKER_HUB_USER', 'DOCKER_HUB_TOKEN'],
      ['DOCKERHUB_USERNAME', 'DOCKERHUB_TOKEN'],
    ] as const) {
      const hasUser = Boolean(this.#env[user]);
      const hasToken = Boolean(this.#env[token]);
      if (hasUser !== hasToken) {
        throw new ValidationError(
          `${hasUser ? token : user} is not set but ${hasUser ? user : token} is; set both or neither`,
        );
      }
    }
  }

  async #resolve(host: string): Promise<Credential> {
    const o = this.#opts;
    const secret = o.password ?? o.token;
    if (o.username !== undefined && secret !== undefined) {
      return { kind: 'basic', username: o.username, secret: Secret.from(secret), source: 'options' };
    }
    if (o.jwt !== undefined) return { kind: 'jwt', token: Secret.from(o.jwt), source: 'options' };
    const hub = host === 'docker.io';
    if (hub) {
      const env = this.#env;
      if (env.DOCKERHUB_JWT)
        return { kind: 'jwt', token: new Secret(env.DOCKERHUB_JWT), source: 'env:DOCKERHUB_JWT' };
      if (env.DOCKER_HUB_USER && env.DOCKER_HUB_TOKEN) {
        return {
          kind: 'basic',
          username: env.DOCKER_HUB_USER,
          secret: new Secret(env.DOCKER_HUB_TOKEN),
          source: 'env:DOCKER_HUB_USER',
        };
      }
      if (env.DOCKERHUB_USERNAME && env.DOCKERHUB_TOKEN) {
        return {
          kind: 'basic',
          username: env.DOCKERHUB_USERNAME,
          secret: new Secret(env.DOCKERHUB_TOKEN),
          source: 'env:DOCKERHUB_USERNAME',
        };
      }
    }
    if (o.useDockerConfig === false) return ANONYMOUS;
    return (await this.#fromDockerConfig(host)) ?? ANONYMOUS;
  }

  async #fromDockerConfig(host: string): Promise<Credential | undefined> {
    this.#config ??= readDockerConfig(this.#opts.dockerConfigDir ?? dockerConfigDir(this.#env));
    const config = await this.#config;
    const hub = host === 'docker.io';
    const keys = Object.keys(config.auths ?? {});
    const matches = (key: string) => (hub ? isDockerHubConfigKey(key) : configKeyHost(key) === host);

    const helper = Object.entries(config.credHelpers ?? {}).find(([key]) => matches(key))?.[1];
    if (helper) return this.#fromHelper(helper, hub ? DOCKER_HUB_SERVER_URL : host);

    const key =
      (hub ? DOCKER_HUB_CONFIG_KEYS.find((k) => keys.includes(k)) : undefined) ?? keys.find(matches);
    const entry = key === undefined ? undefined : config.auths?.[key];
    const inline = entry ? fromAuthEntry(entry) : undefined;
    if (inline) return inline;

    if (config.credsStore)
      return this.#fromHelper(config.credsStore, hub ? DOCKER_HUB_SERVER_URL : (key ?? host));
    return undefined;
  }

  async #fromHelper(helper: string, serverUrl: string): Promise<Credential | undefined> {
    const found = await credentialHelperGet(helper, serverUrl, { env: this.#env });
    if (!found) return undefined;
    // Helpers report an OAuth refresh token with the username "<token>".
    if (found.username === '<token>')
      return { kind: 'identity-token', token: found.secret, source: 'credential-helper' };
    return { kind: 'basic', username: found.username, secret: found.secret, source: 'credential-helper' };
  }
}

function fromAuthEntry(entry: DockerAuthEntry): Credential | undefined {
  if (entry.identitytoken)
    return { kind: 'identity-token', token: new Secret(entry.identitytoken), source: 'docker-config' };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) {
      return {
        kind: 'basic',
        username: decoded.slice(0, i),
        secret: new Secret(decoded.slice(i + 1)),
        source: 'docker-config',
      };
    }
  }
  if (entry.username && entry.password) {
    return {
      kind: 'basic',
      username: entry.username,
      secret: new Secret(entry.password),
      source: 'docker-config',
    };
  }
  return undefined;
}
