/**
 * hub_audit through a real MCP client against the emulator: events made by other tools' calls come back
 * newest first, filtered by the API's own filters and paged; refusals and bad filters are clear errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { emulatorFor, openSession, SENTINEL, sessionsFor } from './harness.js';
import { ok } from './tool-helpers.js';

const seed = {
  users: [
    { username: 'alice', password: SENTINEL },
    { username: 'bob', password: 'bob-pw' },
    { username: 'dave', password: 'dave-pw' },
  ],
  orgs: [
    {
      name: 'acme',
      members: [
        { username: 'alice', role: 'owner' as const },
        { username: 'bob', role: 'editor' as const },
      ],
    },
  ],
};

const emu = emulatorFor(seed);
let startedAt: string;
const open = sessionsFor(emu);

interface Event {
  action: string;
  name: string;
  actor: string;
  timestamp: string;
}

beforeAll(async () => {
  startedAt = new Date(Date.now() - 1000).toISOString();
  const alice = await openSession(emu());
  const bob = await openSession(emu(), { user: { username: 'bob', password: 'bob-pw' } });
  ok(await alice.call('hub_repos', { action: 'create', namespace: 'acme', repository: 'one' }));
  ok(await alice.call('hub_repos', { action: 'create', namespace: 'acme', repository: 'two' }));
  ok(await bob.call('hub_repos', { action: 'create', namespace: 'acme', repository: 'three' }));
  ok(
    await alice.call('hub_repos', {
      action: 'update',
      namespace: 'acme',
      repository: 'one',
      description: 'first',
    }),
  );
  await alice.close();
  await bob.close();
});

describe.each(['legacy', 'modern'] as const)('hub_audit logs (%s era)', (era) => {
  it('lists the events newest first, a page at a time', async () => {
    const s = await open({ era });
    const first = await s.call('hub_audit', { action: 'logs', account: 'acme', page_size: 3 });
    const events = ok<Event[]>(first);
    expect(events.map((e) => [e.action, e.name, e.actor])).toEqual([
      ['repo.update', 'acme/one', 'alice'],
      ['repo.create', 'acme/three', 'bob'],
      ['repo.create', 'acme/two', 'alice'],
    ]);
    expect(first.envelope.next).toEqual({ page: 2, page_size: 3 });
    const second = ok<Event[]>(
      await s.call('hub_audit', { action: 'logs', account: 'acme', ...first.envelope.next }),
    );
    expect(second.map((e) => e.name)).toEqual(['acme/one']);
  });

  it('refuses someone outside the organization and an unknown account', async () => {
    const s = await open({ era, user: { username: 'dave', password: 'dave-pw' } });
    const refused = await s.call('hub_audit', { action: 'logs', account: 'acme' });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
    const unknown = await s.call('hub_audit', { action: 'logs', account: 'nowhere' });
    expect(unknown.envelope.error).toMatchObject({ http_status: 404 });
  });
});

describe('hub_audit filters', () => {
  it('filters by action, name, actor and time window', async () => {
    const s = await open();
    const names = async (args: Record<string, unknown>) =>
      ok<Event[]>(await s.call('hub_audit', { action: 'logs', account: 'acme', ...args })).map(
        (e) => `${e.action} ${e.name}`,
      );
    expect(await names({ audit_action: 'repo.create' })).toEqual([
      'repo.create acme/three',
      'repo.create acme/two',
      'repo.create acme/one',
    ]);
    expect(await names({ name: 'acme/one' })).toEqual(['repo.update acme/one', 'repo.create acme/one']);
    expect(await names({ actor: 'bob' })).toEqual(['repo.create acme/three']);
    expect(await names({ from: startedAt, to: new Date(Date.now() + 60_000).toISOString() })).toHaveLength(4);
    expect(await names({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  });

  it('refuses a malformed date and a window that ends before it starts, before any request', async () => {
    const s = await open();
    const bad = await s.call('hub_audit', { action: 'logs', account: 'acme', from: 'yesterday' });
    expect(bad.envelope.error?.message).toMatch(/invalid parameter "from"/);
    const backwards = await s.call('hub_audit', {
      action: 'logs',
      account: 'acme',
      from: '2025-02-01',
      to: '2025-01-01',
    });
    expect(backwards.envelope.error?.message).toMatch(/is after to/);
    expect(backwards.envelope.error?.hint).toMatch(/nothing was sent/);
    const size = await s.call('hub_audit', { action: 'logs', account: 'acme', page_size: 101 });
    expect(size.envelope.error?.message).toMatch(/invalid parameter "page_size"/);
  });
});

describe('hub_audit actions', () => {
  it('lists the filterable actions by group; a stranger is refused', async () => {
    const s = await open({ era: 'modern' });
    const data = ok<{ actions: Record<string, { label: string; actions: Array<{ name: string }> }> }>(
      await s.call('hub_audit', { action: 'actions', account: 'acme' }),
    );
    expect(data.actions.repo?.label).toBe('Repository');
    expect(data.actions.repo?.actions.map((a) => a.name)).toContain('create');
    const t = await open({ user: { username: 'dave', password: 'dave-pw' } });
    const refused = await t.call('hub_audit', { action: 'actions', account: 'acme' });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
  });

  it('says it only reads, and stays whole in read-only mode', async () => {
    const s = await open();
    const { tools } = await s.client.listTools();
    const audit = tools.find((t) => t.name === 'hub_audit');
    expect(audit?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    const r = await open({ filter: { readOnly: true } });
    const listed = (await r.client.listTools()).tools.find((t) => t.name === 'hub_audit');
    expect(listed?.inputSchema).toEqual(audit?.inputSchema);
  });
});
