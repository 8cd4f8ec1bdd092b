/**
 * hub_registry against the real CNCF distribution registry with token auth, cross-checked with skopeo:
 * inspect reports the digests skopeo computes from the bytes; copy keeps them, sends MCP progress while
 * it runs, and when the client cancels it stops, leaves no manifest and no open upload session at the
 * destination, and the call settles.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, tagImage } from '../../src/registry/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type OciLayout, writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout, skopeoDigest, skopeoInspect } from '../helpers/skopeo.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';
import { emulatorFor, SENTINEL, sessionsFor } from './harness.js';

const emu = emulatorFor({ users: [{ username: 'alice', password: SENTINEL }] });
const CREDS = `alice:${SENTINEL}`;

let tokens: TokenServer;
let a: RunningRegistry;
let b: RunningRegistry;
let proxy: FaultProxy;
let work: string;
let layout: OciLayout;

beforeAll(async () => {
  tokens = await startTokenServer({ users: { alice: SENTINEL }, anonymousActions: [] });
  [a, b] = await Promise.all([
    startRegistry({ kind: 'distribution', tokenServer: tokens }),
    startRegistry({ kind: 'distribution', tokenServer: tokens }),
  ]);
  proxy = await startFaultProxy(a.url);
  work = await mkdtemp(join(tmpdir(), 'dh-mcp-dist-'));
  layout = await writeOciLayout(join(work, 'multi'), {
    tag: 'v1',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    layers: [200_000, 1_500_000],
  });
  await pushLayout(layout.dir, 'v1', `${a.host}/acme/multi:v1`, CREDS);
  const registry = new RegistryClient({
    credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
  });
  for (const t of ['v2', 'v3', 'v4']) await tagImage(registry, `${a.host}/acme/multi:v1`, t);
  await registry.close();
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
  await tokens?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const open = sessionsFor(emu);

describe('hub_registry on the distribution registry', () => {
  it.each(['legacy', 'modern'] as const)(
    'inspects with the digests skopeo computes (%s era)',
    async (era) => {
      const s = await open({ era });
      const res = await s.call('hub_registry', { action: 'inspect', reference: `${a.host}/acme/multi:v1` });
      const data = res.envelope.data as {
        digest: string;
        manifests: Array<{ digest: string; platform: string; config: { digest: string } }>;
      };
      expect(data.digest).toBe(await skopeoDigest(`docker://${a.host}/acme/multi:v1`, { creds: CREDS }));
      expect(data.digest).toBe(layout.indexDigest);
      expect(data.manifests.map((m) => m.digest)).toEqual(layout.manifestDigests);
      for (const m of data.manifests)
        expect(m.digest).toBe(
          await skopeoDigest(`docker://${a.host}/acme/multi@${m.digest}`, { creds: CREDS }),
        );
      const config = await s.call('hub_registry', {
        action: 'get_config',
        reference: `${a.host}/acme/multi:v1`,
        platform: 'linux/amd64',
      });
      const seen = await skopeoInspect(`docker://${a.host}/acme/multi@${layout.manifestDigests[0]}`, {
        config: true,
        raw: true,
        creds: CREDS,
      });
      expect((config.envelope.data as { config: unknown }).config).toEqual(seen);
      expect(res.envelope.rate_limit).toBeNull();
    },
  );

  it('pages tags with the next hint, whatever the registry does with n', async () => {
    const s = await open();
    const repository = `${a.host}/acme/multi`;
    const pages: unknown[] = [];
    let next: Record<string, unknown> | undefined = { page_size: 3 };
    while (next) {
      const res = await s.call('hub_registry', { action: 'list_tags', repository, ...next });
      pages.push(res.envelope.data);
      next = res.envelope.next;
    }
    expect(pages).toEqual([['v1', 'v2', 'v3'], ['v4']]);
    const none = await s.call('hub_registry', { action: 'list_tags', repository: `${a.host}/acme/none` });
    expect(none.envelope.error).toMatchObject({ http_status: 404, code: 'NAME_UNKNOWN' });
  });

  it('copies to another registry with the digests kept, reporting progress in bytes', async () => {
    const s = await open({ era: 'modern', allowDestructive: true, elicit: 'accept' });
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const res = await s.call(
      'hub_registry',
      { action: 'copy', reference: `${a.host}/acme/multi:v1`, destination: `${b.host}/acme/copy` },
      // Only the copy's own reports: the modern era also reports the confirmation round.
      {
        onprogress: (p) => {
          if ((p as { total?: number }).total !== undefined) progress.push(p as (typeof progress)[number]);
        },
      },
    );
    expect(res.isError).toBe(false);
    const total = layout.blobs.reduce((n, x) => n + x.size, 0);
    expect(res.envelope.data).toMatchObject({
      destination: `${b.host}/acme/copy:v1`,
      digest: layout.indexDigest,
      blobs: layout.blobs.length,
      uploaded: layout.blobs.length,
      bytes: total,
    });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatchObject({
      progress: 0,
      total,
      message: `copying ${layout.blobs.length} blobs (${total} bytes)`,
    });
    expect(progress.at(-1)).toMatchObject({ progress: total, total });
    const values = progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(await skopeoDigest(`docker://${b.host}/acme/copy:v1`, { creds: CREDS })).toBe(layout.indexDigest);
  });

  it.each(['legacy', 'modern'] as const)(
    'stops a cancelled copy: no manifest and no open upload at the destination, and the call settles (%s era)',
    async (era) => {
      const s = await open({ era, allowDestructive: true, elicit: 'accept' });
      const held: ServerResponse[] = [];
      let stalled!: () => void;
      const reached = new Promise<void>((resolve) => {
        stalled = resolve;
      });
      // The source serves manifests, but holds every blob: the copy is mid-transfer when it is cancelled.
      proxy.fault = (req, res) => {
        if (req.method !== 'GET' || !/\/blobs\/sha256:/.test(req.url ?? '')) return false;
        held.push(res);
        stalled();
        return true;
      };
      const repo = `acme/cancelled-${era}`;
      const controller = new AbortController();
      const copy = s.call(
        'hub_registry',
        { action: 'copy', reference: `${proxy.host}/acme/multi:v1`, destination: `${b.host}/${repo}:v1` },
        { signal: controller.signal, onprogress: () => undefined },
      );
      // distribution keeps an open session's start time on disk, and removes it when the session is closed.
      const uploads = join(b.storageDir, 'docker/registry/v2/repositories', repo, '_uploads');
      const openUploads = async () =>
        (await readdir(uploads, { recursive: true }).catch(() => [])).filter((f) =>
          String(f).endsWith('startedat'),
        );
      await reached;
      await expect.poll(openUploads).not.toEqual([]);
      controller.abort();
      await expect(copy).rejects.toThrow();
      // The server finished the call (its log line says how) once the SDK had cleaned up.
      await expect
        .poll(() => s.transcript.find((t) => t.includes('"tool call"') && t.includes('"action":"copy"')), {
          timeout: 10_000,
        })
        .toMatch(/"outcome":"error"/);
      proxy.fault = undefined;
      for (const res of held) res.destroy();
      const check = new RegistryClient({
        credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
      });
      expect(await check.manifests.exists(`${b.host}/${repo}:v1`)).toBe(false);
      await check.close();
      expect(await openUploads()).toEqual([]);
    },
  );
});
