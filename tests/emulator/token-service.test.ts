/**
 * The emulator's registry token service (auth.docker.io-compatible `/token`): who gets which actions,
 * the token format a registry verifies, refresh tokens and the OAuth2 form.
 */
import { X509Certificate } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { actionsForPatScopes, parseScope, splitRepositoryPath } from '../../src/emulator/token-service.js';
import { HubClient } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'alice', password: SENTINEL },
        { username: 'bob', password: 'bob-password-1' },
      ],
      orgs: [{ name: 'acme', members: ['alice'] }],
      repositories: [
        { namespace: 'bob', name: 'public' },
        { namespace: 'bob', name: 'secret', is_private: true },
        { namespace: 'library', name: 'alpine' },
      ],
    },
  });
});

afterAll(async () => {
  await emu?.stop();
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function token(scopes: string[], auth?: string, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ service: emu.registryAuth.service, ...extra });
  for (const s of scopes) q.append('scope', s);
  const res = await fetch(`${emu.url}/token?${q}`, { headers: auth ? { authorization: auth } : {} });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, headers: res.headers };
}

/** The `access` claim of a GET /token answer. */
async function granted(scopes: string[], auth?: string) {
  const { body } = await token(scopes, auth);
  return decodeJwt(body.token as string).access;
}

describe('GET /token grants', () => {
  it('gives anonymous callers pull on public repositories only', async () => {
    expect(await granted(['repository:bob/public:pull,push'])).toEqual([
      { type: 'repository', name: 'bob/public', actions: ['pull'] },
    ]);
    expect(await granted(['repository:bob/secret:pull'])).toEqual([]);
    expect(await granted(['repository:alpine:pull'])).toEqual([
      { type: 'repository', name: 'alpine', actions: ['pull'] },
    ]);
    expect(await granted(['repository:bob/missing:pull'])).toEqual([]);
  });

  it('gives a user pull, push and delete in their namespace and their orgs, even before a repository exists', async () => {
    const alice = basic('alice', SENTINEL);
    expect(await granted(['repository:alice/new:pull,push,delete'], alice)).toEqual([
      { type: 'repository', name: 'alice/new', actions: ['pull', 'push', 'delete'] },
    ]);
    expect(await granted(['repository:acme/tool:push repository:bob/public:pull,push'], alice)).toEqual([
      { type: 'repository', name: 'acme/tool', actions: ['push'] },
      { type: 'repository', name: 'bob/public', actions: ['pull'] },
    ]);
    expect(await granted(['repository:bob/secret:pull', 'registry:catalog:*'], alice)).toEqual([]);
    expect(await granted(['repository:bob/secret:pull,push'], basic('bob', 'bob-password-1'))).toEqual([
      { type: 'repository', name: 'bob/secret', actions: ['pull', 'push'] },
    ]);
  });

  it('caps a PAT by its scopes', async () => {
    const hub = new HubClient({
      baseUrl: emu.url,
      credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
    });
    const created = await hub.accessTokens.create({ token_label: 'read only', scopes: ['repo:read'] });
    await hub.close();
    const pat = created.token.reveal();
    expect(await granted(['repository:alice/app:pull,push'], basic('alice', pat))).toEqual([
      { type: 'repository', name: 'alice/app', actions: ['pull'] },
    ]);
  });

  it('refuses wrong credentials with 401 and a Basic challenge, never echoing them', async () => {
    const res = await token(['repository:alice/app:pull'], basic('alice', `${SENTINEL}-wrong`));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="registry.docker.io"');
    expect(JSON.stringify(res.body)).not.toContain(SENTINEL);
    expect((await token([], 'Basic bm9jb2xvbg==')).status).toBe(401); // "nocolon"
  });

  it('refuses another service', async () => {
    const res = await token(['repository:bob/public:pull'], undefined, { service: 'other.example' });
    expect(res.status).toBe(400);
    expect((res.body as { errors: Array<{ message: string }> }).errors[0]?.message).toMatch(
      /unknown service "other.example"/,
    );
  });
});

describe('the token a registry verifies', () => {
  it('is an ES256 JWT whose x5c certificate is the root bundle, with distribution claims', async () => {
    const { body } = await token(['repository:alice/app:pull'], basic('alice', SENTINEL));
    expect(body).toMatchObject({ expires_in: 300 });
    expect(body.access_token).toBe(body.token);
    expect(Date.parse(body.issued_at as string)).toBeGreaterThan(Date.now() - 60_000);
    const header = decodeProtectedHeader(body.token as string);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    const leaf = new X509Certificate(Buffer.from(header.x5c?.[0] as string, 'base64'));
    expect(leaf.toString()).toBe(new X509Certificate(emu.registryAuth.rootCertBundle).toString());
    const key = await importX509(emu.registryAuth.rootCertBundle, 'ES256');
    const { payload } = await jwtVerify(body.token as string, key, {
      issuer: emu.registryAuth.issuer,
      audience: emu.registryAuth.service,
    });
    expect(payload).toMatchObject({ sub: 'alice', iss: 'dockerhub-emulator', aud: 'registry.docker.io' });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload.nbf).toBeLessThanOrEqual(payload.iat!);
    expect(payload.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(emu.registryAuth.realm).toBe(`${emu.url}/token`);
  });

  it('has an empty subject for anonymous callers', async () => {
    const { body } = await token(['repository:bob/public:pull']);
    expect(decodeJwt(body.token as string).sub).toBe('');
  });
});

describe('refresh tokens and the OAuth2 form', () => {
  const form = (fields: Record<string, string>) =>
    fetch(`${emu.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));

  it('offline_token=true returns a refresh token that the refresh grant accepts', async () => {
    const { body } = await token([], basic('alice', SENTINEL), { offline_token: 'true' });
    expect(body.refresh_token).toEqual(expect.any(String));
    const anonymous = await token([], undefined, { offline_token: 'true' });
    expect(anonymous.body.refresh_token).toBeUndefined();
    const refreshed = await form({
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token as string,
      service: 'registry.docker.io',
      client_id: 'test',
      scope: 'repository:alice/app:push',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe('repository:alice/app:push');
    expect(decodeJwt(refreshed.body.access_token!).sub).toBe('alice');
  });

  it('the password grant answers access_token and scope, and a refresh token with access_type=offline', async () => {
    const res = await form({
      grant_type: 'password',
      username: 'alice',
      password: SENTINEL,
      access_type: 'offline',
      client_id: 'test',
      scope: 'repository:alice/app:pull,push repository:bob/public:pull,push',
    });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('repository:alice/app:pull,push repository:bob/public:pull');
    expect(res.body.refresh_token).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('token');
  });

  it('refuses bad grants', async () => {
    expect((await form({ grant_type: 'password', username: 'alice', password: 'nope' })).status).toBe(401);
    expect((await form({ grant_type: 'refresh_token', refresh_token: 'unknown' })).status).toBe(401);
    const other = await form({ grant_type: 'authorization_code' });
    expect(other).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });
});

describe('scope helpers', () => {
  it('parse scopes with a host:port name and a resource class', () => {
    expect(parseScope('repository(plugin):127.0.0.1:5000/app:pull,push')).toEqual({
      type: 'repository',
      name: '127.0.0.1:5000/app',
      actions: ['pull', 'push'],
    });
    expect(parseScope('nonsense')).toBeUndefined();
    expect(splitRepositoryPath('alpine')).toEqual({ namespace: 'library', name: 'alpine' });
    expect([...actionsForPatScopes(['repo:write'])]).toEqual(['pull', 'push']);
    expect([...actionsForPatScopes(['repo:admin'])]).toContain('delete');
  });
});
