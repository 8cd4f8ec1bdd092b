/**
 * The Hub SDK against our emulator, which validates every request against Docker's OpenAPI spec:
 * JWT lifecycle, repositories and tags, pagination, the safety switch, and errors.
 */
import { inspect } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialResolver } from '../../src/core/credentials.js';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  DestructiveOperationBlockedError,
  NotFoundError,
  ValidationError,
} from '../../src/core/errors.js';
import { HttpTransport } from '../../src/core/transport.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubAuth, HubClient } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;

function hub(opts: { password?: string; allowDestructive?: boolean } = {}) {
  return new HubClient({
    baseUrl: emu.url,
    credentials: { username: 'alice', password: opts.password ?? SENTINEL, env: {}, useDockerConfig: false },
    allowDestructive: opts.allowDestructive ?? false,
  });
}

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
        { username: 'bob', password: 'bob-password' },
      ],
      orgs: [{ name: 'acme', members: ['alice'] }],
      repositories: [
        ...['api', 'db', 'web', 'worker', 'cache'].map((name) => ({
          namespace: 'acme',
          name,
          tags: [{ name: 'latest' }, { name: '1.0' }],
        })),
        { namespace: 'acme', name: 'secret-stuff', is_private: true },
      ],
    },
  });
});

afterAll(async () => {
  await emu?.stop();
});

describe('emulator', () => {
  it("loads the 54 operations of Docker's spec and rejects requests that do not match it, naming the violation", async () => {
    expect(emu.spec?.operations).toBe(54);
    const res = await request(`${emu.url}/v2/namespaces/acme/repositories?page_size=1000`);
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as { detail: string }).detail).toBe(
      'request does not match the Docker Hub API spec (listNamespaceRepositories): query.page_size must be <= 100',
    );
    const token = await request(`${emu.url}/v2/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'alice' }),
    });
    expect(token.statusCode).toBe(400);
    expect(((await token.body.json()) as { detail: string }).detail).toMatch(
      /requestBody must have required property 'secret'/,
    );
  });

  it('serves Prometheus metrics at GET /metrics: requests by documented operation and status', async () => {
    const client = hub();
    await client.repositories.get('acme', 'api');
    await client.repositories.get('acme', 'missing').catch(() => undefined);
    await client.close();
    const res = await request(`${emu.url}/metrics`);
    expect(res.statusCode).toBe(200);
    const text = await res.body.text();
    expect(text).toMatch(
      /dockerhub_server_requests_total\{server="emulator",operation="GetRepository",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /dockerhub_server_requests_total\{server="emulator",operation="GetRepository",status="404"\} [1-9]/,
    );
    expect(text).toMatch(/operation="AuthCreateAccessToken",status="200"/);
    expect(text).not.toContain(SENTINEL);
  });

  it('sends X-RateLimit headers that the SDK exposes', async () => {
    const client = hub();
    await client.repositories.get('acme', 'api');
    expect(client.rateLimit).toMatchObject({ kind: 'hub', limit: 180 });
    expect(client.rateLimit?.remaining).toBeLessThan(180);
    await client.close();
  });
});

describe('HubClient', () => {
  it('walks every repository page by page with for await', async () => {
    const client = hub();
    const list = client.repositories.list({ namespace: 'acme', page_size: 2 });
    const pages: string[][] = [];
    for await (const page of list.pages()) pages.push(page.items.map((r) => r.name));
    expect(pages).toEqual([
      ['api', 'cache'],
      ['db', 'secret-stuff'],
      ['web', 'worker'],
    ]);
    const names: string[] = [];
    for await (const r of client.repositories.list({ namespace: 'acme', page_size: 4, ordering: '-name' }))
      names.push(r.name);
    expect(names).toEqual(['worker', 'web', 'secret-stuff', 'db', 'cache', 'api']);
    await client.close();
  });

  it('hides private repositories from anonymous callers', async () => {
    const anon = new HubClient({ baseUrl: emu.url, credentials: { env: {}, useDockerConfig: false } });
    const names = (await anon.repositories.list({ namespace: 'acme', page_size: 100 }).toArray()).map(
      (r) => r.name,
    );
    expect(names).not.toContain('secret-stuff');
    await expect(anon.repositories.get('acme', 'secret-stuff')).rejects.toBeInstanceOf(NotFoundError);
    await anon.close();
  });

  it('creates, reads, checks and updates a repository, with an audit entry per mutation', async () => {
    const client = hub();
    const created = await client.repositories.create({
      namespace: 'acme',
      name: 'new-app',
      description: 'first',
    });
    expect(created).toMatchObject({
      namespace: 'acme',
      name: 'new-app',
      description: 'first',
      is_private: false,
    });
    await expect(client.repositories.create({ namespace: 'acme', name: 'new-app' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await client.repositories.exists('acme', 'new-app')).toBe(true);
    expect(await client.repositories.exists('acme', 'nope')).toBe(false);
    const updated = await client.repositories.update('acme', 'new-app', { description: 'second' });
    expect(updated.description).toBe('second');
    expect(emu.state.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['repo.create', 'repo.update']),
    );
    expect(emu.state.audit.at(-1)).toMatchObject({ actor: 'alice', data: { repository: 'acme/new-app' } });
    await client.close();
  });

  it('rejects a bad repository name before any request', async () => {
    const client = hub();
    expect(() => client.repositories.create({ namespace: 'acme', name: 'Bad_Name!' })).toThrow(
      ValidationError,
    );
    await client.close();
  });

  it('lists, gets and checks tags', async () => {
    const client = hub();
    expect((await client.tags.list('acme', 'api').toArray()).map((t) => t.name)).toEqual(['1.0', 'latest']);
    expect(await client.tags.get('acme', 'api', 'latest')).toMatchObject({
      name: 'latest',
      tag_status: 'active',
    });
    expect(await client.tags.exists('acme', 'api', 'latest')).toBe(true);
    expect(await client.tags.exists('acme', 'api', 'nope')).toBe(false);
    expect(await client.tags.exists('acme', 'api')).toBe(true);
    await client.close();
  });

  it('refuses deletes unless allowed, then deletes', async () => {
    const blocked = hub();
    await expect(blocked.repositories.delete('acme', 'worker')).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    await expect(blocked.tags.delete('acme', 'api', '1.0')).rejects.toThrow(
      /DOCKERHUB_ALLOW_DESTRUCTIVE=true/,
    );
    await blocked.close();
    const allowed = hub({ allowDestructive: true });
    await allowed.tags.delete('acme', 'api', '1.0');
    expect(await allowed.tags.exists('acme', 'api', '1.0')).toBe(false);
    await allowed.repositories.delete('acme', 'worker');
    expect(await allowed.repositories.exists('acme', 'worker')).toBe(false);
    await allowed.close();
  });

  it('surfaces spec violations from the server as BadRequestError', async () => {
    const client = hub();
    const err = await client.repositories
      .list({ namespace: 'acme', page_size: 1000 })
      .toArray()
      .catch((e) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.message).toMatch(/page_size must be <= 100/);
    await client.close();
  });
});

describe('JWT lifecycle', () => {
  it('mints once for many calls and shares one in-flight mint between concurrent callers', async () => {
    const client = hub();
    await Promise.all([
      client.repositories.get('acme', 'api'),
      client.repositories.get('acme', 'db'),
      client.tags.list('acme', 'api').toArray(),
    ]);
    await client.repositories.get('acme', 'web');
    expect(client.auth.mints).toBe(1);
    await client.close();
  });

  it('re-mints once, transparently, when the API answers 401', async () => {
    const client = hub();
    await client.repositories.get('acme', 'api');
    emu.state.revokeTokens(); // every token issued so far is now refused
    const repo = await client.repositories.get('acme', 'secret-stuff');
    expect(repo.name).toBe('secret-stuff');
    expect(client.auth.mints).toBe(2);
    await client.close();
  });

  it('refreshes 60 s before exp', async () => {
    const transport = new HttpTransport();
    const creds = new CredentialResolver({
      username: 'alice',
      password: SENTINEL,
      env: {},
      useDockerConfig: false,
    });
    let now = Date.now();
    const auth = new HubAuth(transport, creds, emu.url, () => now);
    const first = await auth.token();
    now += 600_000 - 61_000; // 61 s before a 10-minute token expires: still cached
    expect(await auth.token()).toBe(first);
    expect(auth.mints).toBe(1);
    now += 2_000; // 59 s before: refreshed
    await auth.token();
    expect(auth.mints).toBe(2);
    await transport.close();
  });

  it('decodes whoami from the JWT claims', async () => {
    const client = hub();
    expect(await client.users.whoami()).toMatchObject({
      username: 'alice',
      email: 'alice@example.test',
      source: 'options',
    });
    expect(await client.users.me()).toMatchObject({ username: 'alice' });
    await client.close();
  });

  it('reports refused credentials without leaking the password', async () => {
    const client = hub({ password: `${SENTINEL}-wrong` });
    const err = (await client.repositories.get('acme', 'api').catch((e) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toBe('Docker Hub refused the credentials of alice (from options)');
    for (const text of [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 5 })])
      expect(text).not.toContain(SENTINEL);
    await client.close();
  });
});
