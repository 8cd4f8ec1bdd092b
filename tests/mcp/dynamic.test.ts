/**
 * Dynamic tools: the server starts with one discovery tool; enabling a group makes its tool appear, and
 * the client is told with notifications/tools/list_changed. Only what the server's selection allows can
 * be enabled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorFor, expectNoSentinel, type McpSession, openSession, SENTINEL } from './harness.js';

const emu = emulatorFor({
  users: [{ username: 'alice', password: SENTINEL }],
  repositories: [{ namespace: 'alice', name: 'app', tags: [{ name: 'v1' }] }],
});
let session: McpSession | undefined;
afterEach(async () => {
  if (session) expectNoSentinel(session);
  await session?.close();
  session = undefined;
});

describe('--dynamic-tools', () => {
  it('lists the groups, enables one on request and notifies the client', async () => {
    session = await openSession(emu(), { dynamicTools: true, filter: { readOnly: true } });
    let changed = 0;
    session.client.setNotificationHandler('notifications/tools/list_changed', () => {
      changed++;
    });
    const before = await session.client.listTools();
    expect(before.tools.map((t) => t.name)).toEqual(['hub_toolsets']);

    const listed = await session.call('hub_toolsets', { action: 'list' });
    const groups = listed.envelope.data as Array<{ name: string; enabled: boolean; actions: string[] }>;
    const repos = groups.find((g) => g.name === 'hub_repos');
    expect(repos).toMatchObject({ enabled: false });
    // The server's selection holds: read-only here, so no write action is offered.
    expect(repos?.actions).not.toContain('create');

    const enabled = await session.call('hub_toolsets', { action: 'enable', toolset: 'repos' });
    expect(enabled.envelope.data).toMatchObject({ enabled: 'hub_repos' });
    await expect.poll(() => changed).toBeGreaterThan(0);
    const after = await session.client.listTools();
    expect(after.tools.map((t) => t.name).sort()).toEqual(['hub_repos', 'hub_toolsets']);
    const res = await session.call('hub_repos', { action: 'list', namespace: 'alice' });
    expect((res.envelope.data as Array<{ name: string }>).map((r) => r.name)).toEqual(['app']);

    // Enabling twice is harmless; an unknown group is an error naming the ones there are.
    expect((await session.call('hub_toolsets', { action: 'enable', toolset: 'hub_repos' })).isError).toBe(
      false,
    );
    const bad = await session.call('hub_toolsets', { action: 'enable', toolset: 'kitchen' });
    expect(bad.isError).toBe(true);
    expect((bad.envelope.data as { message: string }).message).toMatch(
      /unknown or unavailable toolset "kitchen". Toolsets: hub_/,
    );
  });

  it('cannot enable a group the server was started without', async () => {
    session = await openSession(emu(), { dynamicTools: true, env: { REPOSTOOL: 'false' } });
    const res = await session.call('hub_toolsets', { action: 'enable', toolset: 'hub_repos' });
    expect(res.isError).toBe(true);
    expect((await session.client.listTools()).tools.map((t) => t.name)).toEqual(['hub_toolsets']);
  });
});
