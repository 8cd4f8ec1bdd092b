/**
 * Where credentials come from, in order, with temp Docker config dirs and a fake credential helper on
 * PATH (never the real ~/.docker).
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  credentialHelperErase,
  credentialHelperGet,
  credentialHelperStore,
} from '../../src/core/credential-helper.js';
import { type Credential, CredentialResolver } from '../../src/core/credentials.js';
import { readDockerConfig, writeDockerConfigAuth } from '../../src/core/docker-config.js';
import { ValidationError } from '../../src/core/errors.js';
import { Secret } from '../../src/core/secret.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const FIXTURE_BIN = join(import.meta.dirname, '..', 'fixtures', 'bin');
let dir: string;
let storeFile: string;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: `${FIXTURE_BIN}:${process.env.PATH}`, FAKE_CRED_STORE: storeFile, ...extra };
}

async function configDir(name: string, config: unknown): Promise<string> {
  const d = join(dir, name);
  await writeFile(join(await ensureDir(d), 'config.json'), JSON.stringify(config));
  return d;
}

async function ensureDir(d: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(d, { recursive: true });
  return d;
}

function describeCred(c: Credential): Record<string, string> {
  switch (c.kind) {
    case 'basic':
      return { kind: c.kind, username: c.username, secret: c.secret.reveal(), source: c.source };
    case 'jwt':
    case 'identity-token':
      return { kind: c.kind, token: c.token.reveal(), source: c.source };
    default:
      return { kind: c.kind, source: c.source };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dh-creds-'));
  storeFile = join(dir, 'store.json');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CredentialResolver precedence', () => {
  const basicAuth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');

  it('explicit options win over everything, for any registry', async () => {
    const r = new CredentialResolver({
      username: 'opt',
      password: 'opt-pass',
      env: env({ DOCKERHUB_JWT: 'jwt', DOCKER_HUB_USER: 'u', DOCKER_HUB_TOKEN: 't' }),
    });
    expect(describeCred(await r.forHub())).toEqual({
      kind: 'basic',
      username: 'opt',
      secret: 'opt-pass',
      source: 'options',
    });
    expect((await r.forRegistry('ghcr.io')).source).toBe('options');
  });

  it('then DOCKERHUB_JWT, then DOCKER_HUB_USER/TOKEN, then DOCKERHUB_USERNAME/TOKEN — Docker Hub only', async () => {
    const cfg = await configDir('empty', {});
    const all = {
      DOCKERHUB_JWT: 'the-jwt',
      DOCKER_HUB_USER: 'a',
      DOCKER_HUB_TOKEN: 'ta',
      DOCKERHUB_USERNAME: 'b',
      DOCKERHUB_TOKEN: 'tb',
    };
    expect(
      describeCred(await new CredentialResolver({ env: env(all), dockerConfigDir: cfg }).forHub()),
    ).toEqual({
      kind: 'jwt',
      token: 'the-jwt',
      source: 'env:DOCKERHUB_JWT',
    });
    const { DOCKERHUB_JWT: _j, ...noJwt } = all;
    expect(
      describeCred(await new CredentialResolver({ env: env(noJwt), dockerConfigDir: cfg }).forHub()),
    ).toMatchObject({
      username: 'a',
      source: 'env:DOCKER_HUB_USER',
    });
    const onlyB = { DOCKERHUB_USERNAME: 'b', DOCKERHUB_TOKEN: 'tb' };
    const r = new CredentialResolver({ env: env(onlyB), dockerConfigDir: cfg });
    expect(describeCred(await r.forRegistry('registry-1.docker.io'))).toMatchObject({
      username: 'b',
      source: 'env:DOCKERHUB_USERNAME',
    });
    // never sent to another registry
    expect(describeCred(await r.forRegistry('ghcr.io'))).toEqual({ kind: 'anonymous', source: 'anonymous' });
  });

  it('refuses a half-set env pair with a message naming the missing variable', () => {
    expect(() => new CredentialResolver({ env: { DOCKER_HUB_USER: 'x' } })).toThrow(
      /DOCKER_HUB_TOKEN is not set but DOCKER_HUB_USER is/,
    );
    expect(() => new CredentialResolver({ env: { DOCKERHUB_TOKEN: 'x' } })).toThrow(ValidationError);
    expect(() => new CredentialResolver({ username: 'x', env: {} })).toThrow(/without a password or token/);
  });

  it('reads inline auths from the Docker config, by host, with Docker Hub aliases', async () => {
    const cfg = await configDir('inline', {
      auths: {
        'https://index.docker.io/v1/': { auth: basicAuth('hubuser', 'hubpass') },
        'https://ghcr.io': { auth: basicAuth('gh', 'ghpass') },
        'registry.lan:5000': { identitytoken: 'refresh-me' },
      },
    });
    const r = new CredentialResolver({ env: env(), dockerConfigDir: cfg });
    expect(describeCred(await r.forRegistry('docker.io'))).toMatchObject({
      username: 'hubuser',
      secret: 'hubpass',
      source: 'docker-config',
    });
    expect(describeCred(await r.forRegistry('index.docker.io'))).toMatchObject({ username: 'hubuser' });
    expect(describeCred(await r.forRegistry('ghcr.io'))).toMatchObject({ username: 'gh', secret: 'ghpass' });
    expect(describeCred(await r.forRegistry('registry.lan:5000'))).toEqual({
      kind: 'identity-token',
      token: 'refresh-me',
      source: 'docker-config',
    });
    expect((await r.forRegistry('quay.io')).kind).toBe('anonymous');
  });

  it('asks credHelpers first, then credsStore, through the helper protocol', async () => {
    await writeFile(
      storeFile,
      JSON.stringify({
        'https://index.docker.io/v1/': { Username: 'stored', Secret: SENTINEL },
        'ghcr.io': { Username: '<token>', Secret: 'oauth-refresh' },
      }),
    );
    const cfg = await configDir('helpers', { credsStore: 'test', credHelpers: { 'ghcr.io': 'test' } });
    const r = new CredentialResolver({ env: env(), dockerConfigDir: cfg });
    expect(describeCred(await r.forHub())).toEqual({
      kind: 'basic',
      username: 'stored',
      secret: SENTINEL,
      source: 'credential-helper',
    });
    expect(describeCred(await r.forRegistry('ghcr.io'))).toMatchObject({
      kind: 'identity-token',
      token: 'oauth-refresh',
    });
    expect((await r.forRegistry('quay.io')).kind).toBe('anonymous'); // helper says "not found"
  });

  it('skips the Docker config when asked, and caches per host', async () => {
    const cfg = await configDir('skip', { auths: { 'ghcr.io': { auth: basicAuth('a', 'b') } } });
    expect(
      (
        await new CredentialResolver({ env: {}, dockerConfigDir: cfg, useDockerConfig: false }).forRegistry(
          'ghcr.io',
        )
      ).kind,
    ).toBe('anonymous');
    const r = new CredentialResolver({ env: {}, dockerConfigDir: cfg });
    expect(r.forRegistry('ghcr.io')).toBe(r.forRegistry('ghcr.io'));
  });

  it('names a malformed config file in its error', async () => {
    const d = await ensureDir(join(dir, 'bad'));
    await writeFile(join(d, 'config.json'), '{ not json');
    await expect(new CredentialResolver({ env: {}, dockerConfigDir: d }).forHub()).rejects.toThrow(
      `Docker config ${join(d, 'config.json')} is not valid JSON`,
    );
  });

  it('never shows a secret when printed', async () => {
    const r = new CredentialResolver({ username: 'u', password: SENTINEL, env: {} });
    const cred = await r.forHub();
    for (const text of [
      JSON.stringify(cred),
      inspect(cred, { depth: 5 }),
      `${(cred as { secret: Secret }).secret}`,
    ]) {
      expect(text).not.toContain(SENTINEL);
    }
  });
});

describe('credential helper protocol', () => {
  it('stores, gets and erases through docker-credential-test', async () => {
    await writeFile(storeFile, '{}');
    const o = { env: env() };
    await credentialHelperStore(
      'test',
      { serverUrl: 'reg.example', username: 'me', secret: new Secret('pw-123456') },
      o,
    );
    expect((await credentialHelperGet('test', 'reg.example', o))?.secret.reveal()).toBe('pw-123456');
    await credentialHelperErase('test', 'reg.example', o);
    expect(await credentialHelperGet('test', 'reg.example', o)).toBeUndefined();
  });

  it('reports a failing helper without its secret, and a missing helper clearly', async () => {
    const failing = await credentialHelperGet('test', 'x', { env: env({ FAKE_CRED_FAIL: '1' }) }).catch(
      (e) => e,
    );
    expect(failing.message).toBe('credential helper docker-credential-test get failed: keychain locked');
    const missing = await credentialHelperGet('nonexistent', 'x', { env: env() }).catch((e) => e);
    expect(missing.message).toMatch(/docker-credential-nonexistent could not run: ENOENT/);
    await expect(credentialHelperGet('../evil', 'x')).rejects.toThrow(/invalid credential helper name/);
  });
});

describe('Docker config writes', () => {
  it('writes atomically with mode 0600 and keeps other keys', async () => {
    const d = await configDir('write', {
      auths: { 'other.io': { auth: 'eA==' } },
      credsStore: 'desktop',
      psFormat: 'table',
    });
    await writeDockerConfigAuth(d, 'https://index.docker.io/v1/', {
      username: 'me',
      secret: new Secret('pw-abcdef'),
    });
    const config = await readDockerConfig(d);
    expect(config.psFormat).toBe('table');
    expect(config.credsStore).toBe('desktop');
    expect(Object.keys(config.auths ?? {}).sort()).toEqual(['https://index.docker.io/v1/', 'other.io']);
    expect(((await stat(join(d, 'config.json'))).mode & 0o777).toString(8)).toBe('600');
    await writeDockerConfigAuth(d, 'https://index.docker.io/v1/', null);
    expect(Object.keys((await readDockerConfig(d)).auths ?? {})).toEqual(['other.io']);
    expect((await readFile(join(d, 'config.json'), 'utf8')).endsWith('\n')).toBe(true);
  });

  it('treats a missing config as empty', async () => {
    expect(await readDockerConfig(join(dir, 'nowhere'))).toEqual({});
  });
});
