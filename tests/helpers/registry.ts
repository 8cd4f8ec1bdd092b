/**
 * A registry on 127.0.0.1 for integration tests, with its storage in a temp dir. Two implementations:
 * - 'distribution' (default): a real CNCF distribution registry (`docker-registry serve`, 2.8) with its
 *   own config. Debian's packaged config listens on all interfaces with htpasswd, so it is never used.
 * - 'builtin': the emulator's own OCI registry (src/emulator/builtin-registry), in process, on disk.
 * `kind` picks one; without it, env DOCKERHUB_TEST_REGISTRY=builtin switches every test to the built-in.
 * Token mode trusts a token server started with startTokenServer().
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distributionConfig, probe, stopChild } from '../../src/emulator/distribution.js';
import { freePort } from './free-port.js';
import type { TokenServer } from './token-server.js';

export type RegistryKind = 'distribution' | 'builtin';

/** Both implementations, the real one first: for suites that run against each. */
export const REGISTRY_KINDS: readonly RegistryKind[] = ['distribution', 'builtin'];

export interface RunningRegistry {
  kind: RegistryKind;
  /** '127.0.0.1:PORT', for image references */
  host: string;
  /** 'http://127.0.0.1:PORT' */
  url: string;
  storageDir: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  auth?: 'none' | 'token';
  tokenServer?: TokenServer;
  /** storage.delete.enabled; default true (distribution only: the built-in registry always deletes) */
  deleteEnabled?: boolean;
  /** Default: env DOCKERHUB_TEST_REGISTRY, else 'distribution'. */
  kind?: RegistryKind;
  /** Built-in registry only: keep content on disk in the temp dir (default) or in memory. */
  storage?: 'disk' | 'memory';
}

export function defaultRegistryKind(): RegistryKind {
  const fromEnv = process.env.DOCKERHUB_TEST_REGISTRY;
  if (fromEnv === undefined || fromEnv === '' || fromEnv === 'distribution') return 'distribution';
  if (fromEnv === 'builtin') return 'builtin';
  throw new Error(
    `DOCKERHUB_TEST_REGISTRY must be 'distribution' or 'builtin', not ${JSON.stringify(fromEnv)}`,
  );
}

const STARTUP_TIMEOUT_MS = 15_000;

/**
 * Safety net for registries whose stop() never ran (a test threw before its cleanup): kill them and remove
 * their dirs when the worker exits. Vitest ends fork workers with SIGTERM, which skips 'exit' handlers,
 * so SIGTERM is caught too and re-raised once nobody else listens. Shared per process via globalThis.
 */
const LIVE = Symbol.for('dockerhub-api.tests.live-registries');
/** A spawned registry (killed when reaped), or an in-process one (only its dir needs removing). */
type Reapable = Pick<ChildProcess, 'kill'> | { kill?: undefined };
const globals = globalThis as { [LIVE]?: Map<Reapable, string> };
globals[LIVE] ??= installReaper(new Map());
const live = globals[LIVE];

function installReaper(children: Map<Reapable, string>): Map<Reapable, string> {
  const reap = () => {
    for (const [child, dir] of children) {
      child.kill?.('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    children.clear();
  };
  process.once('exit', reap);
  process.once('SIGTERM', () => {
    reap();
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  });
  return children;
}

async function startOnce(opts: RegistryOptions): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'dh-registry-'));
  const storageDir = join(dir, 'storage');
  const configPath = join(dir, 'config.yml');
  await mkdir(storageDir);
  const port = await freePort();
  await writeFile(
    configPath,
    distributionConfig(
      `127.0.0.1:${port}`,
      storageDir,
      opts.auth === 'token'
        ? {
            realm: opts.tokenServer!.realm,
            service: opts.tokenServer!.service,
            issuer: opts.tokenServer!.issuer,
            bundlePath: opts.tokenServer!.certBundlePath,
          }
        : undefined,
      undefined,
      opts.deleteEnabled ?? true,
    ),
  );

  // REGISTRY_* variables override the config file; none from the caller's environment may leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const child = spawn('docker-registry', ['serve', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.set(child, dir);
  let log = '';
  const capture = (chunk: Buffer) => {
    if (log.length < 64_000) log += chunk.toString('utf8');
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  let exited = false;
  child.once('close', () => {
    exited = true; // 'close' (not 'exit') so the captured log is complete
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });

  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await stopChild(child);
      live.delete(child);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    const status = exited || spawnError ? undefined : await probe(url);
    if (status === 200 || status === 401) return { kind: 'distribution', host, url, storageDir, stop };
    if (exited || spawnError || Date.now() > deadline) {
      await stop();
      const why = spawnError
        ? spawnError.message
        : exited
          ? 'exited'
          : `not ready after ${STARTUP_TIMEOUT_MS} ms`;
      throw Object.assign(new Error(`docker-registry ${why} (status ${status ?? 'none'}):\n${log}`), { log });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The built-in registry in process, on disk in a temp dir (or in memory), trusting the token server. */
async function startBuiltin(opts: RegistryOptions): Promise<RunningRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'dh-builtin-registry-'));
  const storageDir = join(dir, 'storage');
  await mkdir(storageDir);
  const marker = {};
  live.set(marker, dir);
  try {
    const t = opts.tokenServer;
    // Imported when needed: this helper also runs under plain Node (type stripping only), which cannot
    // load the project's sources.
    const { startBuiltinRegistry } = await import('../../src/emulator/builtin-registry/index.js');
    const registry = await startBuiltinRegistry({
      storageDir: opts.storage === 'memory' ? undefined : storageDir,
      auth:
        opts.auth === 'token' && t
          ? {
              realm: t.realm,
              service: t.service,
              issuer: t.issuer,
              rootCertBundle: await readFile(t.certBundlePath, 'utf8'),
            }
          : undefined,
    });
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        await registry.stop();
        live.delete(marker);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    };
    return { kind: 'builtin', host: registry.host, url: registry.url, storageDir, stop };
  } catch (err) {
    live.delete(marker);
    await rm(dir, { recursive: true, force: true });
    process.stderr.write(`startRegistry failed:\n${(err as Error).message}\n`);
    throw err;
  }
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  // A token server alone implies token auth.
  opts = { ...opts, auth: opts.auth ?? (opts.tokenServer ? 'token' : 'none') };
  if (opts.auth === 'token' && !opts.tokenServer)
    throw new Error("startRegistry: auth 'token' needs a tokenServer");
  if ((opts.kind ?? defaultRegistryKind()) === 'builtin') return startBuiltin(opts);
  // The free port may be taken between probe and bind; a couple of retries make that race harmless.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      const log = (err as { log?: string }).log ?? '';
      if (attempt >= 3 || !/address already in use/i.test(log)) {
        process.stderr.write(`startRegistry failed:\n${(err as Error).message}\n`);
        throw err;
      }
    }
  }
}
