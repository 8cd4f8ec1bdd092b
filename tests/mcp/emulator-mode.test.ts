/**
 * `dockerhub-mcp --emulator`'s demo: the session it starts has two pushed versions of acme/hello that
 * Docker Scout knows by their real digests, so hub_scout and hub_registry answer about the same image
 * with no account and no network.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, type EmulatorSession, startEmulatorSession } from '../../src/mcp/emulator-mode.js';
import { expectNoSentinel, type McpSession, openSession } from './harness.js';

let demo: EmulatorSession;
let session: McpSession | undefined;

beforeAll(async () => {
  demo = await startEmulatorSession();
});

afterAll(async () => {
  await demo?.close();
});

afterEach(async () => {
  if (session) {
    // The demo password is the secret here: nothing the server sent or logged may hold it.
    expectNoSentinel(session, String(demo.clients.credentials?.password));
    await session.close();
    session = undefined;
  }
});

async function open(): Promise<McpSession> {
  const password = String(demo.clients.credentials?.password);
  session = await openSession(demo.emulator, {
    user: { username: DEMO_USER, password },
    scoutOrganization: demo.clients.scoutOrganization,
  });
  return session;
}

describe('the --emulator demo session', () => {
  it('pushes acme/hello v1 and v2 (also latest) to the registry beside the emulator', () => {
    const host = demo.emulator.registry?.host;
    expect(demo.image).toBe(`${host}/acme/hello:v1`);
    expect(demo.images).toEqual([`${host}/acme/hello:v1`, `${host}/acme/hello:v2`]);
    expect(demo.clients.scoutOrganization).toBe('acme');
  });

  it('answers a hub_scout summary and a hub_registry inspect about the same pushed image', async () => {
    const s = await open();
    const summary = await s.call('hub_scout', { action: 'summary', reference: demo.image });
    expect(summary.isError).toBe(false);
    const data = summary.envelope.data as {
      image: { digest: string };
      vulnerabilities: { critical: number; high: number; total: number };
      baseImage: { repository: string; tag: string };
    };
    expect(data.vulnerabilities).toMatchObject({ critical: 1, high: 3, medium: 2, low: 1, total: 7 });
    expect(data.baseImage).toMatchObject({ repository: 'hub.docker.com/library/alpine', tag: '3.19.1' });
    const inspect = await s.call('hub_registry', { action: 'inspect', reference: demo.image });
    expect(inspect.isError).toBe(false);
    expect((inspect.envelope.data as { digest: string }).digest).toBe(data.image.digest);
  });

  it('has something real for compare, recommendations and policies', async () => {
    const s = await open();
    const [v1, v2] = demo.images;
    const compare = await s.call('hub_scout', { action: 'compare', reference: v1, compare_to: v2 });
    const diff = compare.envelope.data as {
      counts: { from: { total: number }; to: { total: number } };
      packages: { added: Array<{ name: string }>; removed: Array<{ name: string }> };
    };
    expect([diff.counts.from.total, diff.counts.to.total]).toEqual([7, 3]);
    expect(diff.packages.added.map((p) => p.name)).toEqual(['semver']);
    expect(diff.packages.removed.map((p) => p.name)).toEqual(['minimist', 'pdf-kit']);
    const recs = await s.call('hub_scout', {
      action: 'recommendations',
      reference: `${demo.emulator.registry?.host}/acme/hello:latest`,
    });
    expect(
      (recs.envelope.data as { recommended: Array<{ tag: string }> }).recommended.map((t) => t.tag),
    ).toEqual(['3.21.3', '3.20.6']);
    const policies = await s.call('hub_scout', { action: 'policy_evaluation', reference: v2 });
    expect(
      (policies.envelope.data as { policies: Array<{ status: string }> }).policies.map((p) => p.status),
    ).toEqual(['compliant', 'compliant', 'compliant', 'non-compliant']);
  });
});
