/**
 * Storing and erasing the Docker Hub login where the Docker CLI keeps it, so `docker` and `dockerhub`
 * share one login: the credential helper the Docker config names for Docker Hub (`credHelpers`, else
 * `credsStore`), through the docker-credential-helpers protocol; otherwise an inline
 * `auths["https://index.docker.io/v1/"].auth` in config.json (written atomically, mode 0600, every other
 * key kept). `CredentialResolver` reads back from the same places.
 */
import { join } from 'node:path';
import { credentialHelperErase, credentialHelperStore } from './credential-helper.js';
import { DOCKER_HUB_SERVER_URL, isDockerHubConfigKey } from './credentials.js';
import {
  type DockerAuthEntry,
  dockerConfigDir,
  readDockerConfig,
  writeDockerConfigAuth,
} from './docker-config.js';
import type { Secret } from './secret.js';

/** Where the Docker Hub login lives: a credential helper, or the config file itself. */
export type DockerLoginStore = { kind: 'helper'; helper: string } | { kind: 'config'; file: string };

export interface DockerLoginOptions {
  /** The Docker config directory (default `$DOCKER_CONFIG` or `~/.docker`). */
  dir?: string;
  /** Environment for the helper process (PATH) and the default directory. */
  env?: NodeJS.ProcessEnv;
}

const holdsCredentials = (e: DockerAuthEntry | undefined) =>
  Boolean(e && (e.auth || e.identitytoken || (e.username && e.password)));

/** The store the Docker CLI would use for Docker Hub under this config. */
export async function dockerHubLoginStore(opts: DockerLoginOptions = {}): Promise<DockerLoginStore> {
  const dir = opts.dir ?? dockerConfigDir(opts.env);
  const config = await readDockerConfig(dir);
  const helper =
    Object.entries(config.credHelpers ?? {}).find(([key]) => isDockerHubConfigKey(key))?.[1] ??
    config.credsStore;
  return helper ? { kind: 'helper', helper } : { kind: 'config', file: join(dir, 'config.json') };
}

/** Removes inline Docker Hub credentials from config.json; says whether there were any. */
async function removeInline(dir: string): Promise<boolean> {
  const auths = (await readDockerConfig(dir)).auths ?? {};
  const stale = Object.keys(auths).filter((k) => isDockerHubConfigKey(k) && holdsCredentials(auths[k]));
  for (const key of stale) await writeDockerConfigAuth(dir, key, null);
  return stale.length > 0;
}

/** Stores the login; returns where it went. */
export async function storeDockerHubLogin(
  credential: { username: string; secret: Secret },
  opts: DockerLoginOptions = {},
): Promise<DockerLoginStore> {
  const dir = opts.dir ?? dockerConfigDir(opts.env);
  const store = await dockerHubLoginStore({ ...opts, dir });
  if (store.kind === 'config') {
    await writeDockerConfigAuth(dir, DOCKER_HUB_SERVER_URL, credential);
    return store;
  }
  await credentialHelperStore(
    store.helper,
    { serverUrl: DOCKER_HUB_SERVER_URL, ...credential },
    { env: opts.env },
  );
  // An older inline entry would otherwise be read before the helper's (see CredentialResolver).
  await removeInline(dir);
  return store;
}

/** Erases the login from its store (and any inline leftovers); `removed` is false when none was found. */
export async function eraseDockerHubLogin(
  opts: DockerLoginOptions = {},
): Promise<{ store: DockerLoginStore; removed: boolean }> {
  const dir = opts.dir ?? dockerConfigDir(opts.env);
  const store = await dockerHubLoginStore({ ...opts, dir });
  let removed = false;
  if (store.kind === 'helper') {
    await credentialHelperErase(store.helper, DOCKER_HUB_SERVER_URL, { env: opts.env });
    removed = true; // helpers do not say whether there was anything to erase
  }
  removed = (await removeInline(dir)) || removed;
  return { store, removed };
}
