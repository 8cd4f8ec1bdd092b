/** Organization access tokens against the emulator: shown once, scoped checks, and logging in as the org. */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DestructiveOperationBlockedError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient, type OrgAccessTokenResource } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const PULL: OrgAccessTokenResource[] = [{ type: 'TYPE_REPO', path: 'acme/*', scopes: ['repo-pull'] }];
let emu: RunningEmulator;
const clients: HubClient[] = [];

const hub = (username = 'alice', secret = SENTINEL, allowDestructive = false) => {
  const client = new HubClient({
    baseUrl: emu.url,
    credentials: { username, password: secret, env: {}, useDockerConfig: false },
    allowDestructive,
  });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'alice', password: SENTINEL },
        { username: 'bob', password: SENTINEL },
      ],
      orgs: [{ name: 'acme', members: ['alice'] }],
      repositories: [{ namespace: 'acme', name: 'private-app', is_private: true }],
    },
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await emu?.stop();
});

describe('organization access tokens', () => {
  it('creates a token shown once; get and list never carry it', async () => {
    const created = await hub().orgAccessTokens.create('acme', {
      label: 'ci pulls',
      description: 'pipeline',
      resources: PULL,
      expires_at: '2099-01-01',
    });
    const plaintext = created.token.reveal();
    expect(plaintext).toMatch(/^dckr_oat_/);
    expect(created).toMatchObject({
      label: 'ci pulls',
      created_by: 'alice',
      is_active: true,
      expires_at: '2099-01-01T00:00:00.000Z',
      resources: PULL,
    });
    expect(JSON.stringify(created)).not.toContain(plaintext);
    expect(inspect(created)).not.toContain(plaintext);
    const fetched = await hub().orgAccessTokens.get('acme', created.id);
    expect(fetched).toMatchObject({ id: created.id, label: 'ci pulls', resources: PULL });
    expect(fetched).not.toHaveProperty('token');
    const pages = [];
    for await (const page of hub().orgAccessTokens.list('acme', { page_size: 1 }).pages()) pages.push(page);
    expect(pages[0]?.total).toBe(1);
    expect(pages.flatMap((p) => p.items).map((t) => t.id)).toEqual([created.id]);
    expect(JSON.stringify(pages)).not.toContain(plaintext);
    expect(emu.state.audit.at(-1)).toMatchObject({
      action: 'org.access_token.create',
      actor: 'alice',
      data: { org: 'acme', id: created.id },
    });
  });

  it('logs in as the organization with an active token, not once deactivated or expired', async () => {
    const created = await hub().orgAccessTokens.create('acme', { label: 'robot', resources: PULL });
    const robot = hub('acme', created.token.reveal());
    expect((await robot.users.whoami()).username).toBe('acme');
    expect((await robot.repositories.get('acme', 'private-app')).name).toBe('private-app');
    expect((await hub().orgAccessTokens.get('acme', created.id)).last_used_at).toBeTruthy();
    // The token logs in as the org only: not as a user.
    await expect(hub('alice', created.token.reveal()).users.whoami()).rejects.toThrow(
      /refused the credentials/,
    );

    const off = await hub().orgAccessTokens.update('acme', created.id, { is_active: false, label: 'off' });
    expect(off).toMatchObject({ is_active: false, label: 'off' });
    await expect(hub('acme', created.token.reveal()).users.whoami()).rejects.toThrow(
      /refused the credentials of acme/,
    );

    const expiring = await hub().orgAccessTokens.create('acme', {
      label: 'short',
      resources: PULL,
      expires_at: new Date(Date.now() + 60_000),
    });
    const stored = emu.state.orgTokens.get(expiring.id);
    if (stored) stored.expires_at = new Date(Date.now() - 1000).toISOString();
    await expect(hub('acme', expiring.token.reveal()).users.whoami()).rejects.toThrow(/refused/);
  });

  it('replaces resources on update and deletes only when allowed', async () => {
    const created = await hub().orgAccessTokens.create('acme', { label: 'temp', resources: PULL });
    const org: OrgAccessTokenResource[] = [{ type: 'TYPE_ORG', path: 'acme', scopes: ['member-read'] }];
    expect((await hub().orgAccessTokens.update('acme', created.id, { resources: org })).resources).toEqual(
      org,
    );
    await expect(hub().orgAccessTokens.delete('acme', created.id)).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    await hub('alice', SENTINEL, true).orgAccessTokens.delete('acme', created.id);
    await expect(hub().orgAccessTokens.get('acme', created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(emu.state.audit.slice(-2).map((a) => a.action)).toEqual([
      'org.access_token.update',
      'org.access_token.delete',
    ]);
  });

  it('refuses non-members and unknown organizations', async () => {
    await expect(hub('bob').orgAccessTokens.list('acme').toArray()).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(hub('bob').orgAccessTokens.create('acme', { label: 'x', resources: PULL })).rejects.toThrow(
      /only members of acme/,
    );
    await expect(hub().orgAccessTokens.list('nowhere').toArray()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects bad input before any request', async () => {
    const client = hub();
    const before = emu.state.audit.length;
    const bad = (resources: unknown) =>
      client.orgAccessTokens.create('acme', { label: 'x', resources: resources as OrgAccessTokenResource[] });
    await expect(bad([])).rejects.toThrow(/at least one resource/);
    await expect(bad([{ type: 'TYPE_TEAM', path: 'acme', scopes: ['x'] }])).rejects.toThrow(
      'unknown resource type "TYPE_TEAM"; valid: TYPE_REPO, TYPE_ORG',
    );
    await expect(bad([{ type: 'TYPE_REPO', path: '', scopes: ['repo-pull'] }])).rejects.toThrow(
      /needs a path/,
    );
    await expect(bad([{ type: 'TYPE_REPO', path: 'acme/*', scopes: [] }])).rejects.toThrow(/scopes/);
    await expect(
      client.orgAccessTokens.create('acme', { label: '', resources: PULL }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      client.orgAccessTokens.create('acme', { label: 'x', resources: PULL, expires_at: 'next week' }),
    ).rejects.toThrow(/"next week" is not a date/);
    await expect(
      client.orgAccessTokens.create('acme', { label: 'x', resources: PULL, expires_at: '2001-01-01' }),
    ).rejects.toThrow(/in the past/);
    await expect(client.orgAccessTokens.update('acme', 'id', {})).rejects.toThrow(/nothing to update/);
    expect(() => client.orgAccessTokens.list('bad org')).toThrow(/invalid organization name/);
    expect(emu.state.audit.length).toBe(before);
    expect(client.auth.mints).toBe(0);
  });
});
