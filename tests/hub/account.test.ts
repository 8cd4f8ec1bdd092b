/**
 * The deprecated login with its two-factor step, catalog search (search v4) and the current user's
 * organizations, SDK against the emulator (documented requests validated by Docker's spec).
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, ValidationError } from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { decodeJwt, HubClient, type LegacyLoginResult, type SearchResult } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;

const anonymous = () => new HubClient({ baseUrl: emu.url, credentials: { env: {}, useDockerConfig: false } });
const as = (username: string) =>
  new HubClient({
    baseUrl: emu.url,
    credentials: { username, password: SENTINEL, env: {}, useDockerConfig: false },
  });

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
        { username: 'bob', password: SENTINEL, twoFactorCode: '246810' },
        { username: 'loner', password: SENTINEL },
      ],
      orgs: [
        { name: 'zeta', members: ['alice'] },
        { name: 'acme', members: [{ username: 'alice', role: 'owner' }, 'bob'] },
        { name: 'beta', members: ['alice'] },
      ],
      repositories: [
        { namespace: 'library', name: 'nginx', description: 'web server', pull_count: 2_500_000_000 },
        { namespace: 'acme', name: 'nginx-proxy', description: 'a proxy', pull_count: 12_345, star_count: 7 },
        { namespace: 'acme', name: 'web', description: 'runs NGINX inside', pull_count: 5 },
        { namespace: 'acme', name: 'secret-nginx', is_private: true },
        ...Array.from({ length: 7 }, (_, i) => ({
          namespace: 'bulk',
          name: `item${i}`,
          description: 'bulk',
        })),
      ],
    },
  });
});
afterAll(async () => emu?.stop());

describe('legacy login (deprecated POST /v2/users/login)', () => {
  it('returns a Hub JWT as a Secret for a password', async () => {
    const hub = anonymous();
    const res = await hub.legacyAuth.login({ username: 'alice', password: SENTINEL });
    expect(res.status).toBe('authenticated');
    const token = (res as Extract<LegacyLoginResult, { status: 'authenticated' }>).token;
    expect(decodeJwt(token.reveal())['https://hub.docker.com']?.username).toBe('alice');
    expect(JSON.stringify(res)).not.toContain(token.reveal());
    expect(inspect(res)).not.toContain(token.reveal());
    // The token works as a bearer.
    const viaJwt = new HubClient({ baseUrl: emu.url, credentials: { jwt: token, env: {} } });
    expect((await viaJwt.users.me()).username).toBe('alice');
    await viaJwt.close();
    await hub.close();
  });

  it('runs the two-factor flow: 401 with login_2fa_token, then the code', async () => {
    const hub = anonymous();
    const first = await hub.legacyAuth.login({ username: 'bob', password: SENTINEL });
    expect(first.status).toBe('2fa_required');
    if (first.status !== '2fa_required') throw new Error('unreachable');
    expect(first.detail).toMatch(/secondary authentication/);
    expect(inspect(first)).not.toContain(first.login_2fa_token.reveal());

    await expect(
      hub.legacyAuth.login2fa({ login_2fa_token: first.login_2fa_token, code: '000000' }),
    ).rejects.toThrow('Docker Hub refused the two-factor code');
    const { token } = await hub.legacyAuth.login2fa({
      login_2fa_token: first.login_2fa_token,
      code: '246810',
    });
    expect(decodeJwt(token.reveal())['https://hub.docker.com']?.username).toBe('bob');
    // The intermediate token is single use.
    await expect(
      hub.legacyAuth.login2fa({ login_2fa_token: first.login_2fa_token.reveal(), code: '246810' }),
    ).rejects.toBeInstanceOf(AuthenticationError);
    await hub.close();
  });

  it('a wrong password is an AuthenticationError that names the user, never the password', async () => {
    const hub = anonymous();
    const err = await hub.legacyAuth
      .login({ username: 'alice', password: `${SENTINEL}-wrong` })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toBe('Docker Hub refused the credentials of alice');
    expect(JSON.stringify(err) + inspect(err)).not.toContain(SENTINEL);
    await hub.close();
  });

  it('validates before any request and leaves HubAuth alone', async () => {
    const hub = as('alice');
    await expect(hub.legacyAuth.login({ username: '', password: 'x' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(hub.legacyAuth.login({ username: 'a', password: '' })).rejects.toThrow(/give a password/);
    await expect(hub.legacyAuth.login2fa({ login_2fa_token: '', code: '1' })).rejects.toThrow(
      /login_2fa_token/,
    );
    await expect(hub.legacyAuth.login2fa({ login_2fa_token: 'x', code: ' ' })).rejects.toThrow(/code/);
    await hub.legacyAuth.login({ username: 'alice', password: SENTINEL });
    expect(hub.auth.mints).toBe(0);
    await hub.close();
  });
});

describe('catalog search (undocumented endpoint: GET /api/search/v4)', () => {
  const names = (rs: SearchResult[]) => rs.map((r) => r.name);

  it('finds public repositories by name or description, best match first, in the v4 shape', async () => {
    const hub = anonymous();
    const results = await hub.search.list({ query: 'nginx' }).toArray();
    expect(names(results)).toEqual(['nginx', 'acme/nginx-proxy', 'acme/web']);
    expect(results[0]).toMatchObject({
      id: 'nginx',
      type: 'image',
      badge: 'official',
      pull_count: '2B+',
      raw_pull_count: 2_500_000_000,
      publisher: { id: 'library' },
      archived: false,
    });
    expect(results[1]).toMatchObject({ badge: 'none', star_count: 7, pull_count: '12K+' });
    await hub.close();
  });

  it('filters by badge, type and sorts by pulls', async () => {
    const hub = anonymous();
    expect(names(await hub.search.list({ query: 'nginx', badges: ['official'] }).toArray())).toEqual([
      'nginx',
    ]);
    expect(await hub.search.list({ query: 'nginx', type: 'plugin' }).toArray()).toEqual([]);
    expect(await hub.search.list({ query: 'nginx', architectures: ['arm64'] }).toArray()).toEqual([]);
    const asc = await hub.search.list({ query: 'nginx', sort: 'pull_count', order: 'asc' }).toArray();
    expect(names(asc)).toEqual(['acme/web', 'acme/nginx-proxy', 'nginx']);
    await hub.close();
  });

  it('pages by from/size, one request per page, and reports the total', async () => {
    const hub = anonymous();
    const pages = [];
    for await (const page of hub.search.list({ query: 'bulk', size: 3 }).pages()) pages.push(page);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages[0]?.total).toBe(7);
    expect(pages.flatMap((p) => names(p.items))).toEqual(
      Array.from({ length: 7 }, (_, i) => `bulk/item${i}`),
    );
    const fromTwo = await hub.search.list({ query: 'bulk', size: 2, from: 5 }).toArray();
    expect(names(fromTwo)).toEqual(['bulk/item5', 'bulk/item6']);
    // The last page inside the 2500 window is shortened, then the list stops.
    const edge = await hub.search.list({ query: 'bulk', size: 100, from: 2499 }).pages().next();
    expect(edge.value?.next).toBeUndefined();
    await hub.close();
  });

  it('refuses bad parameters before any request', () => {
    const hub = anonymous();
    expect(() => hub.search.list({ query: ' ' })).toThrow('search: give a search term');
    expect(() => hub.search.list({ query: 'x', size: 101 })).toThrow(/size must be an integer from 1 to 100/);
    expect(() => hub.search.list({ query: 'x', from: 2500 })).toThrow(/from must be/);
    expect(() => hub.search.list({ query: 'x', type: 'model' as 'image' })).toThrow(/unknown type "model"/);
    expect(() => hub.search.list({ query: 'x', badges: ['gold' as 'official'] })).toThrow(/unknown badge/);
  });

  it('the emulator answers 400 to what Docker refuses', async () => {
    for (const q of [
      '',
      'query=x&size=101',
      'query=x&from=2450&size=100',
      'query=x&type=model',
      'query=x&badges=gold',
      'query=x&sort=stars',
    ]) {
      const res = await fetch(`${emu.url}/api/search/v4?${q}`);
      expect(res.status).toBe(400);
    }
  });
});

describe("the current user's organizations (undocumented endpoint: GET /v2/user/orgs/)", () => {
  it('lists memberships sorted by name, page by page', async () => {
    const hub = as('alice');
    const list = hub.users.orgs({ page_size: 2 });
    const pages = [];
    for await (const page of list.pages()) pages.push(page.items.map((o) => o.orgname));
    expect(pages).toEqual([['acme', 'beta'], ['zeta']]);
    expect((await hub.users.orgs().toArray())[0]).toMatchObject({
      orgname: 'acme',
      type: 'Organization',
      user_role: 'owner',
    });
    await hub.close();
  });

  it('is empty for a user in no organization and refused without credentials', async () => {
    const loner = as('loner');
    expect(await loner.users.orgs().toArray()).toEqual([]);
    await loner.close();
    const hub = anonymous();
    await expect(hub.users.orgs().toArray()).rejects.toBeInstanceOf(AuthenticationError);
    expect(() => hub.users.orgs({ page_size: 0 })).toThrow(/page_size must be an integer from 1 to 100/);
    await hub.close();
  });
});
