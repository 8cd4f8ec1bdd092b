/** SCIM 2.0 against the emulator: its own bearer token and media type, users as org members, typed errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  DestructiveOperationBlockedError,
  NotFoundError,
  ValidationError,
} from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient, SCIM_USER_SCHEMA, ScimClient } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const SCIM_TOKEN = 'scim-SENTINEL-token-0123456789';
let emu: RunningEmulator;
const clients: ScimClient[] = [];

const scim = (opts: { token?: string; allowDestructive?: boolean } = {}) => {
  const client = new ScimClient({ baseUrl: emu.url, token: opts.token ?? SCIM_TOKEN, ...opts });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
        { username: 'carol', password: SENTINEL, email: 'carol@example.test' },
      ],
      orgs: [{ name: 'acme', members: ['alice'] }],
      scim: { org: 'acme', token: SCIM_TOKEN },
    },
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await emu?.stop();
});

describe('SCIM discovery', () => {
  it('serves the service provider config, resource types and schemas as application/scim+json', async () => {
    const { data, response } = await scim().serviceProviderConfig().withResponse();
    expect(response.headers['content-type']).toBe('application/scim+json');
    expect(data).toMatchObject({ filter: { supported: true }, patch: { supported: false } });
    expect((await scim().resourceTypes()).map((r) => r.id)).toEqual(['User']);
    expect(await scim().resourceType('User')).toMatchObject({ endpoint: '/Users', schema: SCIM_USER_SCHEMA });
    const schemas = await scim().schemas();
    expect(schemas.map((s) => s.id)).toEqual([SCIM_USER_SCHEMA]);
    const user = await scim().schema(SCIM_USER_SCHEMA);
    expect(user.attributes?.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'active',
      'emails',
    ]);
    await expect(scim().resourceType('Group')).rejects.toThrow('404 resource type Group not found');
    await expect(scim().schema('urn:nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('SCIM users', () => {
  it('lists the members of the organization and filters by userName', async () => {
    const users = await scim().users.list().toArray();
    expect(users.map((u) => [u.userName, u.displayName, u.active])).toEqual([
      ['alice@example.test', 'alice', true],
    ]);
    expect(await scim().users.list({ userName: 'ALICE@example.test' }).toArray()).toHaveLength(1);
    expect(await scim().users.list({ filter: 'userName eq "carol@example.test"' }).toArray()).toEqual([]);
    const err = await scim()
      .users.list({ filter: 'userName eq' })
      .toArray()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({
      code: 'invalidFilter',
      message: expect.stringMatching(/^400 unsupported filter/),
    });
  });

  it('creates users: a new account, or an existing one found by email, and refuses duplicates', async () => {
    const dave = await scim().users.create({
      userName: 'dave.smith@example.test',
      name: { givenName: 'Dave', familyName: 'Smith' },
    });
    expect(dave).toMatchObject({
      schemas: [SCIM_USER_SCHEMA],
      userName: 'dave.smith@example.test',
      displayName: 'davesmith',
      name: { givenName: 'Dave', familyName: 'Smith' },
      active: true,
      meta: { resourceType: 'User', location: `${emu.url}/v2/scim/2.0/Users/${dave.id}` },
    });
    expect(emu.state.users.get('davesmith')?.email).toBe('dave.smith@example.test');
    const carol = await scim().users.create({ userName: 'carol@example.test' });
    expect(carol.displayName).toBe('carol');
    expect(emu.state.orgs.get('acme')?.members).toEqual(new Set(['alice', 'davesmith', 'carol']));
    expect(emu.state.audit.slice(-2)).toMatchObject([
      { action: 'org.member.add', actor: 'scim', data: { org: 'acme', member: 'davesmith' } },
      { action: 'org.member.add', actor: 'scim', data: { org: 'acme', member: 'carol' } },
    ]);
    const dup = await scim()
      .users.create({ userName: 'carol@example.test' })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictError);
    expect(dup).toMatchObject({
      code: 'uniqueness',
      message: expect.stringContaining('already provisioned'),
    });
    expect((await scim().users.get(dave.id)).userName).toBe('dave.smith@example.test');
  });

  it('pages by startIndex and count', async () => {
    const pages = [];
    for await (const page of scim().users.list({ count: 2, sortBy: 'userName' }).pages()) pages.push(page);
    expect(pages.map((p) => p.items.map((u) => u.displayName))).toEqual([['alice', 'carol'], ['davesmith']]);
    expect(pages[0]?.total).toBe(3);
    const descending = await scim().users.list({ sortBy: 'userName', sortOrder: 'descending' }).toArray();
    expect(descending.map((u) => u.displayName)).toEqual(['davesmith', 'carol', 'alice']);
  });

  it('replaces names; deactivating removes the membership and needs allowDestructive', async () => {
    const [carol] = await scim().users.list({ userName: 'carol@example.test' }).toArray();
    const id = carol?.id as string;
    const renamed = await scim().users.replace(id, {
      active: true,
      name: { givenName: 'Carol', familyName: 'C' },
    });
    expect(renamed.name).toEqual({ givenName: 'Carol', familyName: 'C' });
    expect(emu.state.audit.at(-1)).toMatchObject({ action: 'scim.user.update', data: { member: 'carol' } });

    await expect(scim().users.replace(id, { active: false })).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    const off = await scim({ allowDestructive: true }).users.replace(id, { active: false });
    expect(off.active).toBe(false);
    expect(emu.state.orgs.get('acme')?.members.has('carol')).toBe(false);
    expect(emu.state.audit.at(-1)).toMatchObject({ action: 'org.member.remove', data: { member: 'carol' } });
    // Still known to the IdP, which can reactivate them.
    expect((await scim().users.get(id)).active).toBe(false);
    expect((await scim().users.replace(id, { active: true })).active).toBe(true);
    expect(emu.state.orgs.get('acme')?.members.has('carol')).toBe(true);
  });

  it('refuses a wrong SCIM token and a Hub JWT, without echoing either', async () => {
    const err = await scim({ token: 'wrong-token-value' })
      .users.list()
      .toArray()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(String((err as Error).message)).toMatch(/^401 a valid SCIM bearer token is required/);
    expect(JSON.stringify(err)).not.toContain('wrong-token-value');
    const hub = new HubClient({
      baseUrl: emu.url,
      credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
    });
    const jwt = (await hub.auth.token()) as string;
    await expect(scim({ token: jwt }).serviceProviderConfig()).rejects.toBeInstanceOf(AuthenticationError);
    // hub.scim(token) shares the Hub client's base URL and transport.
    expect((await hub.scim(SCIM_TOKEN).resourceTypes()).length).toBe(1);
    await hub.close();
  });

  it('checks input before any request', async () => {
    const before = emu.state.audit.length;
    await expect(scim().users.create({ userName: 'not-an-email' })).rejects.toThrow(
      'userName must be an email address, got "not-an-email"',
    );
    await expect(
      scim({ allowDestructive: true }).users.replace('x', { active: 'no' as unknown as boolean }),
    ).rejects.toThrow(/active: true or false/);
    expect(() => scim().users.list({ count: 500 })).toThrow(/count must be an integer from 1 to 200/);
    expect(() => scim().users.list({ userName: 'a@b.c', filter: 'x' })).toThrow(/either userName or filter/);
    const saved = process.env.DOCKERHUB_SCIM_TOKEN;
    delete process.env.DOCKERHUB_SCIM_TOKEN;
    expect(() => new ScimClient({ baseUrl: emu.url })).toThrow(ValidationError);
    if (saved !== undefined) process.env.DOCKERHUB_SCIM_TOKEN = saved;
    expect(emu.state.audit.length).toBe(before);
  });
});
