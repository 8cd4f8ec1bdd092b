/**
 * hub_admin through a real MCP client against the emulator and the registry beside it: who the server is,
 * the Hub API rate limit (measured with one call when none was seen yet) and the registry pull limit (a
 * HEAD request on an image the registry really holds).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoImage } from '../../src/emulator/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { pushImage } from '../../src/registry/transfer/index.js';
import { emulatorFor, SENTINEL, sessionsFor } from './harness.js';
import { ok } from './tool-helpers.js';

const seed = {
  users: [{ username: 'alice', password: SENTINEL, email: 'alice@example.test' }],
  orgs: [{ name: 'acme', members: [{ username: 'alice', role: 'owner' as const }] }],
};

const emu = emulatorFor(seed, { registry: 'auto', rateLimit: 500 });
let image: string;
const open = sessionsFor(emu);

beforeAll(async () => {
  const host = emu().registry?.host;
  if (!host) throw new Error('the emulator started without a registry');
  image = `${host}/acme/hello:v1`;
  const work = await mkdtemp(join(tmpdir(), 'mcp-admin-'));
  const registry = new RegistryClient({
    credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
  });
  try {
    const layout = await writeDemoImage(join(work, 'layout'), 'v1');
    await pushImage(registry, layout.dir, image);
  } finally {
    await registry.close();
    await rm(work, { recursive: true, force: true });
  }
});

const wrongPassword = { user: { username: 'alice', password: 'not-the-password' } };

describe('hub_admin rate_limit', () => {
  it.each(['legacy', 'modern'] as const)(
    'measures with one call when nothing was seen yet, then reports the latest response (%s era)',
    async (era) => {
      const s = await open({ era });
      const first = ok<Record<string, unknown>>(await s.call('hub_admin', { action: 'rate_limit' }));
      expect(first).toMatchObject({ limited: true, limit: 500 });
      expect(first.remaining).toEqual(expect.any(Number));
      expect(Date.parse(String(first.reset_at))).toBeGreaterThan(Date.now() - 60_000);
      expect(first.measured_by).toBe(
        'one GET /v2/user/ made now (no Docker Hub API response had been seen yet)',
      );
      const second = ok<Record<string, unknown>>(await s.call('hub_admin', { action: 'rate_limit' }));
      expect(second.measured_by).toBe('the latest Docker Hub API response this server received');
      expect(second.observed_at).toBe(first.observed_at);
    },
  );

  it("answers with 401 when the server's credentials are refused", async () => {
    const s = await open(wrongPassword);
    const res = await s.call('hub_admin', { action: 'rate_limit' });
    expect(res.envelope.error).toMatchObject({ http_status: 401 });
    expect(res.envelope.error?.hint).toMatch(/server's environment/);
  });
});

describe('hub_admin whoami', () => {
  it('says who the server is signed in as and where the credentials came from', async () => {
    const s = await open({ era: 'modern' });
    const me = ok<Record<string, unknown>>(await s.call('hub_admin', { action: 'whoami' }));
    expect(me).toMatchObject({ username: 'alice', email: 'alice@example.test', source: 'options' });
    expect(Date.parse(String(me.expiresAt))).toBeGreaterThan(Date.now());
  });

  it('refused credentials are a 401 with advice', async () => {
    const s = await open(wrongPassword);
    const res = await s.call('hub_admin', { action: 'whoami' });
    expect(res.envelope.error).toMatchObject({ http_status: 401 });
    expect(res.envelope.error?.message).toMatch(/refused the credentials of alice/);
  });
});

describe('hub_admin pull_limit', () => {
  it('probes an image with a HEAD request and reports that this registry sets no pull limit', async () => {
    const s = await open();
    const data = ok(await s.call('hub_admin', { action: 'pull_limit', reference: image }));
    expect(data).toEqual({
      probe: image,
      limited: false,
      counted_as_pull: false,
      note: 'The registry sent no pull-limit headers: no pull limit applies there to this account.',
    });
  });

  it('answers a probe that does not exist with 404, and a malformed reference before any request', async () => {
    const s = await open();
    const missing = await s.call('hub_admin', {
      action: 'pull_limit',
      reference: image.replace(':v1', ':v9'),
    });
    expect(missing.envelope.error).toMatchObject({ http_status: 404 });
    const bad = await s.call('hub_admin', { action: 'pull_limit', reference: 'Not A Reference' });
    expect(bad.isError).toBe(true);
    expect(bad.envelope.error?.hint).toMatch(/nothing was sent/);
  });

  it('is a read-only tool', async () => {
    const s = await open();
    const { tools } = await s.client.listTools();
    expect(tools.find((t) => t.name === 'hub_admin')?.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
  });
});
