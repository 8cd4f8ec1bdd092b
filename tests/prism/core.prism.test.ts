/**
 * Independent contract check: the SDK's documented operations against Stoplight Prism mocking Docker's
 * spec with `--errors`, so a request that our emulator accepts but Docker's contract does not still fails.
 * Prism answers from the spec's examples; only the request side is under test here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/index.js';
import { type RunningPrism, startPrism } from '../helpers/prism.js';

let prism: RunningPrism;
let hub: HubClient;

beforeAll(async () => {
  prism = await startPrism();
  hub = new HubClient({
    baseUrl: prism.url,
    credentials: { username: 'alice', password: 'pw', env: {}, useDockerConfig: false },
    allowDestructive: true,
  });
}, 90_000);
afterAll(async () => {
  expect(prism.requestViolations).toEqual([]);
  await hub?.close();
  await prism?.stop();
});

describe('Prism pass: auth, repositories, tags, personal access tokens', () => {
  it('mints a JWT and lists, creates, gets and checks repositories', async () => {
    const page = await hub.repositories
      .list({ namespace: 'acme', page_size: 2, ordering: '-last_updated' })
      .pages()
      .next();
    expect(page.done).toBe(false);
    expect(hub.auth.mints).toBe(1);
    // Docker's example for this response lacks required fields (a spec defect the proxy records).
    await hub.repositories.create({ namespace: 'acme', name: 'app', description: 'd', is_private: true });
    await expect(hub.repositories.get('acme', 'app')).resolves.toBeDefined();
    expect(await hub.repositories.exists('acme', 'app')).toBe(true);
  });

  it('lists, gets and checks tags', async () => {
    expect((await hub.tags.list('acme', 'app', { page_size: 5 }).pages().next()).done).toBe(false);
    expect(await hub.tags.get('acme', 'app', 'latest')).toHaveProperty('name');
    expect(await hub.tags.exists('acme', 'app', 'latest')).toBe(true);
    expect(await hub.tags.exists('acme', 'app')).toBe(true);
  });

  it('manages personal access tokens', async () => {
    const created = await hub.accessTokens.create({
      token_label: 'ci',
      scopes: ['repo:read'],
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(created.uuid).toBeTruthy();
    expect((await hub.accessTokens.list({ page: 1, page_size: 10 }).pages().next()).done).toBe(false);
    expect(await hub.accessTokens.get(created.uuid)).toHaveProperty('uuid');
    expect(
      await hub.accessTokens.update(created.uuid, { token_label: 'ci2', is_active: false }),
    ).toHaveProperty('uuid');
    await hub.accessTokens.delete(created.uuid);
  });
});
