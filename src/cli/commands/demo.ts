/**
 * `dockerhub demo`: an offline tour that needs no account and no network. It starts the emulator with a
 * registry beside it, logs in as a seeded user (credentials passed in-process), creates a repository
 * through the Hub API, pushes a freshly generated image through the registry, watches the tag arrive in
 * the Hub API by the registry's notification, lists and inspects it, deletes it again, and stops. One
 * line per step.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../core/errors.js';
import { writeDemoImage } from '../../emulator/demo-image.js';
import type { RegistryMode } from '../../emulator/registry-launch.js';
import { type RunningEmulator, startEmulator } from '../../emulator/server.js';
import { HubClient } from '../../hub/client.js';
import { RegistryClient } from '../../registry/client.js';
import { inspectImage } from '../../registry/inspect.js';
import { pushImage } from '../../registry/transfer/push.js';
import { shortDigest } from '../render.js';

export interface DemoOptions {
  /** Default `auto`; `none` is refused (the tour needs a registry). */
  registry?: RegistryMode;
  /** How long to wait for a registry notification to reach the Hub API (default 10 s). */
  eventTimeoutMs?: number;
  /** Receives each step's line (with a trailing newline). */
  print: (line: string) => void;
}

export const DEMO_USER = 'demo';
export const DEMO_REPOSITORY = 'hello';
const DEMO_TAG = 'v1';

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

export async function runDemo(opts: DemoOptions): Promise<void> {
  const mode = opts.registry ?? 'auto';
  if (mode === 'none')
    throw new ValidationError('the demo needs a registry: --registry auto|distribution|builtin');
  const timeout = opts.eventTimeoutMs ?? 10_000;
  const step = (name: string, text: string) => opts.print(`${name.padEnd(9)} ${text}\n`);
  // A fresh password each run: it lives only in this process.
  const password = `demo-${randomBytes(12).toString('hex')}`;
  const work = await mkdtemp(join(tmpdir(), 'dh-demo-'));
  let emu: RunningEmulator | undefined;
  let hub: HubClient | undefined;
  let registry: RegistryClient | undefined;
  try {
    emu = await startEmulator({
      seed: { users: [{ username: DEMO_USER, password, email: 'demo@example.invalid' }] },
      registry: mode,
    });
    const reg = emu.registry;
    if (!reg)
      throw new ValidationError('the demo needs a registry: use --registry auto, distribution or builtin');
    const kind = reg.kind === 'builtin' ? 'built-in' : reg.kind;
    step('start', `Docker Hub emulator on ${emu.url}, ${kind} registry on ${reg.host}`);

    const credentials = { username: DEMO_USER, password, env: {}, useDockerConfig: false };
    hub = new HubClient({ baseUrl: emu.url, credentials, allowDestructive: true });
    registry = new RegistryClient({ credentials, allowDestructive: true });
    const me = await hub.users.whoami();
    step('login', `logged in as ${me.username} (Hub JWT from POST /v2/auth/token, expires ${me.expiresAt})`);

    await hub.repositories.create({ namespace: DEMO_USER, name: DEMO_REPOSITORY, is_private: false });
    step('create', `created repository ${DEMO_USER}/${DEMO_REPOSITORY} through the Hub API`);

    const image = await writeDemoImage(join(work, 'layout'), DEMO_TAG);
    step(
      'build',
      `generated a one-layer image as an OCI layout (a file of ${image.fileBytes} random bytes; ${image.size} bytes of blobs)`,
    );

    const ref = `${reg.host}/${DEMO_USER}/${DEMO_REPOSITORY}:${DEMO_TAG}`;
    const pushed = await pushImage(registry, image.dir, ref);
    step('push', `pushed ${ref} (${shortDigest(pushed.digest)}…, ${pushed.uploaded} blobs uploaded)`);

    const ms = await waitUntil('the push notification', timeout, () =>
      hub!.tags.exists(DEMO_USER, DEMO_REPOSITORY, DEMO_TAG),
    );
    const tag = await hub.tags.get(DEMO_USER, DEMO_REPOSITORY, DEMO_TAG);
    step(
      'hub-tags',
      `Hub API lists ${DEMO_TAG} → ${shortDigest(String(tag.digest))}… pushed by ${tag.last_updater_username} (registry event, ${ms} ms after the push)`,
    );

    const tags = await registry.tags.list(`${reg.host}/${DEMO_USER}/${DEMO_REPOSITORY}`).toArray();
    step('reg-tags', `registry lists tags: ${tags.join(', ')}`);

    const info = await inspectImage(registry, ref);
    const m = info.manifests[0];
    step(
      'inspect',
      `${shortDigest(info.digest)}… ${info.mediaType}, ${m?.platform ?? 'no platform'}, ${m?.layers.length ?? 0} layer(s), ${m?.totalLayerSize ?? 0} bytes`,
    );

    await registry.manifests.delete(ref);
    const gone = await waitUntil('the delete notification', timeout, async () => {
      return !(await hub!.tags.exists(DEMO_USER, DEMO_REPOSITORY, DEMO_TAG));
    });
    step(
      'delete',
      `deleted the manifest in the registry; Hub API dropped ${DEMO_TAG} (registry event, ${gone} ms)`,
    );

    await hub.repositories.delete(DEMO_USER, DEMO_REPOSITORY);
    step('cleanup', `deleted repository ${DEMO_USER}/${DEMO_REPOSITORY} through the Hub API`);
  } finally {
    await hub?.close();
    await registry?.close();
    await emu?.stop();
    await rm(work, { recursive: true, force: true });
  }
  step('stop', 'stopped the emulator and the registry; temp files removed');
}
