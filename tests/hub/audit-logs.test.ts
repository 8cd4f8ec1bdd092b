/** Audit logs against the emulator: every mutation shows up, newest first, filterable, only to who may see it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PermissionDeniedError, ValidationError } from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;
const clients: HubClient[] = [];
let startedAt: string;

const hub = (username = 'alice') => {
  const client = new HubClient({
    baseUrl: emu.url,
    credentials: { username, password: SENTINEL, env: {}, useDockerConfig: false },
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
    },
  });
  startedAt = new Date().toISOString();
  const alice = hub();
  await alice.repositories.create({ namespace: 'acme', name: 'one' });
  await alice.repositories.create({ namespace: 'acme', name: 'two' });
  await alice.repositories.update('acme', 'one', { description: 'first' });
  await alice.accessTokens.create({ token_label: 'laptop', scopes: ['repo:read'] });
  await alice.orgAccessTokens.create('acme', {
    label: 'ci',
    resources: [{ type: 'TYPE_REPO', path: 'acme/*', scopes: ['repo-pull'] }],
  });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await emu?.stop();
});

describe('audit logs', () => {
  it("lists an organization's events newest first, in Docker's shape", async () => {
    const logs = await hub().auditLogs.list('acme').toArray();
    expect(logs.map((l) => l.action)).toEqual([
      'org.access_token.create',
      'repo.update',
      'repo.create',
      'repo.create',
    ]);
    expect(logs[1]).toEqual({
      account: 'acme',
      action: 'repo.update',
      name: 'acme/one',
      actor: 'alice',
      data: { repository: 'acme/one', fields: 'description' },
      timestamp: expect.any(String),
      action_description: 'repository updated: acme/one',
    });
    // A user's own account holds their personal events.
    const own = await hub().auditLogs.list('alice').toArray();
    expect(own.map((l) => [l.action, l.data?.label])).toEqual([['pat.create', 'laptop']]);
  });

  it('filters by action, name, actor and time window', async () => {
    const audit = hub().auditLogs;
    const created = await audit.list('acme', { action: 'repo.create' }).toArray();
    expect(created.map((l) => l.name)).toEqual(['acme/two', 'acme/one']);
    expect((await audit.list('acme', { name: 'acme/one' }).toArray()).map((l) => l.action)).toEqual([
      'repo.update',
      'repo.create',
    ]);
    expect(await audit.list('acme', { actor: 'bob' }).toArray()).toEqual([]);
    expect(await audit.list('acme', { to: new Date(Date.parse(startedAt) - 60_000) }).toArray()).toEqual([]);
    expect(await audit.list('acme', { from: startedAt, to: new Date() }).toArray()).toHaveLength(4);
  });

  it('walks pages until a short one', async () => {
    const pages = [];
    for await (const page of hub().auditLogs.list('acme', { page_size: 3 }).pages()) pages.push(page.items);
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
    const exact = [];
    for await (const page of hub().auditLogs.list('acme', { page_size: 2 }).pages()) exact.push(page.items);
    expect(exact.map((p) => p.length)).toEqual([2, 2, 0]);
  });

  it('lists the actions to filter by, grouped', async () => {
    const { actions } = await hub().auditLogs.actions('acme');
    expect(actions?.repo?.label).toBe('Repository');
    expect(actions?.repo?.actions?.map((a) => a.name)).toEqual(expect.arrayContaining(['create', 'update']));
    expect(actions?.org?.actions).toContainEqual({
      name: 'access_token.create',
      description: 'Access token created',
      label: 'Access token created',
    });
  });

  it('shows a log only to the account and its members', async () => {
    await expect(hub('bob').auditLogs.list('acme').toArray()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(hub('bob').auditLogs.actions('alice')).rejects.toThrow(
      /no access to the audit log of alice/,
    );
    await expect(hub().auditLogs.list('nobody').toArray()).rejects.toBeInstanceOf(NotFoundError);
    expect(await hub('bob').auditLogs.list('bob').toArray()).toEqual([]);
  });

  it('rejects bad filters before any request', async () => {
    const client = hub();
    const audit = client.auditLogs;
    expect(() => audit.list('acme', { from: 'yesterday' })).toThrow(
      'from "yesterday" is not a date or date-time (e.g. 2025-01-31T12:00:00Z)',
    );
    expect(() => audit.list('acme', { from: '2025-02-01', to: '2025-01-01' })).toThrow(/is after to/);
    expect(() => audit.list('acme', { page_size: 500 })).toThrow(ValidationError);
    expect(() => audit.list('acme', { page: 0 })).toThrow(/page must be a positive integer/);
    expect(() => audit.list('../acme')).toThrow(/invalid account name/);
    await expect(audit.actions('')).rejects.toThrow(/invalid account name/);
    expect(client.auth.mints).toBe(0);
  });
});
