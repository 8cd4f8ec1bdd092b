/**
 * A real distribution registry spawned by the emulator, trusting its tokens: images pushed with our SDK
 * appear as repositories and tags in the Hub API (registry notifications are asynchronous, so the test
 * polls briefly), deletes sync back, refusals surface as typed errors, and webhooks go out on push.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, PermissionDeniedError } from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator, writeDemoImage } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { pushImage } from '../../src/registry/transfer/index.js';
import type { WebhookEvent } from '../../src/webhooks/index.js';
import { WebhookReceiver } from '../../src/webhooks/receiver.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const HOOK_SECRET = 'hook-secret-0123456789';
let emu: RunningEmulator;
let receiver: WebhookReceiver;
const received: WebhookEvent[] = [];
let work: string;
let layout: string;
let storage: string;

const client = (username?: string, password?: string) =>
  new RegistryClient({
    credentials: username
      ? { username, password, env: {}, useDockerConfig: false }
      : { env: {}, useDockerConfig: false },
    allowDestructive: true,
  });

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-sync-'));
  storage = join(work, 'storage');
  layout = (await writeDemoImage(join(work, 'layout'), 'v1')).dir;
  receiver = new WebhookReceiver({ secret: HOOK_SECRET });
  receiver.on('event', (e) => received.push(e));
  const { url } = await receiver.listen();
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'alice', password: SENTINEL },
        { username: 'bob', password: 'bob-password-1' },
      ],
      orgs: [{ name: 'acme', members: ['alice'] }],
      repositories: [{ namespace: 'bob', name: 'private', is_private: true }],
      webhooks: [{ repository: 'alice/app', url, secret: HOOK_SECRET }],
    },
    registry: 'distribution',
    storageDir: storage,
  });
}, 60_000);

afterAll(async () => {
  await emu?.stop();
  await receiver?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a distribution registry beside the emulator', () => {
  it('listens on loopback, answers with a token challenge naming the emulator', async () => {
    expect(emu.registry).toMatchObject({ kind: 'distribution' });
    expect(emu.registry?.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const ping = await client().ping(emu.registry!.host);
    expect(ping).toMatchObject({
      authRequired: true,
      realm: `${emu.url}/token`,
      service: 'registry.docker.io',
    });
  });

  it('a push by a user shows up as repository and tag in the Hub API, with a webhook delivered', async () => {
    const alice = client('alice', SENTINEL);
    const pushed = await pushImage(alice, layout, `${emu.registry!.host}/alice/app:v1`);
    const hub = new HubClient({ baseUrl: emu.url, credentials: { env: {}, useDockerConfig: false } });
    const tag = await until('the tag in the Hub API', async () =>
      (await hub.tags.exists('alice', 'app', 'v1')) ? hub.tags.get('alice', 'app', 'v1') : undefined,
    );
    expect(tag).toMatchObject({ name: 'v1', digest: pushed.digest, last_updater_username: 'alice' });
    expect((await hub.repositories.get('alice', 'app')).namespace).toBe('alice');
    const repos = await hub.repositories.list({ namespace: 'alice' }).toArray();
    expect(repos.map((r) => r.name)).toEqual(['app']);
    await hub.close();
    expect(emu.state.audit.filter((a) => a.data.via === 'registry')).toEqual([
      expect.objectContaining({
        action: 'repo.create',
        actor: 'alice',
        data: { repository: 'alice/app', via: 'registry' },
      }),
      expect.objectContaining({
        action: 'tag.push',
        actor: 'alice',
        data: { repository: 'alice/app', tag: 'v1', digest: pushed.digest, via: 'registry' },
      }),
    ]);

    await emu.settle();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ kind: 'push', repository: 'alice/app', tag: 'v1', pusher: 'alice' });
    expect(received[0]?.payload).toMatchObject({
      repository: { namespace: 'alice', name: 'app', is_private: false },
    });
    expect(emu.state.audit.at(-1)).toMatchObject({
      action: 'webhook.deliver',
      data: { repository: 'alice/app', event: 'push', status: 200 },
    });
    // Blobs were written where --storage pointed.
    expect(await readdir(join(storage, 'docker', 'registry', 'v2', 'repositories'))).toContain('alice');
    await alice.close();
  });

  it('anyone may pull what was pushed to a public repository; an anonymous push is refused', async () => {
    const anonymous = client();
    const tags = await anonymous.tags.list(`${emu.registry!.host}/alice/app`).toArray();
    expect(tags).toEqual(['v1']);
    const err = await pushImage(anonymous, layout, `${emu.registry!.host}/alice/other:v1`).catch((e) => e);
    // distribution answers a token without the needed action with 401 (insufficient_scope): not bad
    // credentials (there are none), but no push access there.
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err.message).toMatch(/no pull access to .*\/alice\/other/);
    expect(emu.state.repositories.has('alice/other')).toBe(false);
    await anonymous.close();
  });

  it('a member pushes to their organization; a push to someone else’s namespace is refused', async () => {
    const alice = client('alice', SENTINEL);
    await pushImage(alice, layout, `${emu.registry!.host}/acme/tool:1.0`);
    await until('acme/tool', async () => emu.state.repositories.get('acme/tool')?.tags.get('1.0'));

    const err = await pushImage(alice, layout, `${emu.registry!.host}/bob/private:v1`).catch((e) => e);
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(String(err.message)).not.toContain(SENTINEL);
    // Bob's private repository is not readable to her either.
    const read = await alice.tags
      .list(`${emu.registry!.host}/bob/private`)
      .toArray()
      .catch((e) => e);
    expect(read).toBeInstanceOf(HttpError);
    expect(emu.state.repositories.get('bob/private')?.tags.size).toBe(0);
    await alice.close();
  });

  it('deleting the manifest in the registry removes the tag from the Hub API and sends a tag_delete webhook', async () => {
    const alice = client('alice', SENTINEL);
    const ref = `${emu.registry!.host}/alice/app:v1`;
    const { digest } = await alice.manifests.delete(ref);
    await until('the tag to go', async () =>
      emu.state.repositories.get('alice/app')?.tags.size === 0 ? true : undefined,
    );
    expect(emu.state.audit.filter((a) => a.action === 'tag.delete')).toEqual([
      expect.objectContaining({
        actor: 'alice',
        data: { repository: 'alice/app', tag: 'v1', digest, via: 'registry' },
      }),
    ]);
    await emu.settle();
    expect(received.at(-1)).toMatchObject({
      kind: 'tag_delete',
      repository: 'alice/app',
      tag: 'v1',
      digest,
      actor: 'alice',
    });
    await alice.close();
  });
});
