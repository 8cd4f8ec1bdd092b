import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { replaceFile } from './atomic-file.js';
import { ValidationError } from './errors.js';
import type { Secret } from './secret.js';

export interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
}

export interface DockerConfig {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/** Reads the config; a missing file is an empty config, malformed JSON a clear error naming the file. */
export async function readDockerConfig(dir: string): Promise<DockerConfig> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ValidationError(`cannot read Docker config ${file}: ${(err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as DockerConfig;
  } catch {
    throw new ValidationError(`Docker config ${file} is not valid JSON`);
  }
}

/**
 * Stores (or, with null, removes) one registry's inline credentials, keeping every other key. Written
 * to a temp file in the same directory and renamed, with mode 0600, so a crash never leaves half a file.
 */
export async function writeDockerConfigAuth(
  dir: string,
  serverUrl: string,
  credential: { username: string; secret: Secret } | null,
): Promise<void> {
  const config = await readDockerConfig(dir);
  const auths = { ...(config.auths ?? {}) };
  if (credential) {
    auths[serverUrl] = {
      auth: Buffer.from(`${credential.username}:${credential.secret.reveal()}`).toString('base64'),
    };
  } else {
    delete auths[serverUrl];
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'config.json');
  await replaceFile(file, async (temp) => {
    await writeFile(temp, `${JSON.stringify({ ...config, auths }, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
  });
}

/** Config keys that mean Docker Hub. */
export const DOCKER_HUB_CONFIG_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io',
  'https://index.docker.io/v1',
  'https://registry-1.docker.io',
];

/** The host part of a config key: `https://ghcr.io/v2/` → `ghcr.io`. */
export function configKeyHost(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}
