/**
 * A real CNCF distribution registry (`docker-registry serve`, e.g. Debian's 2.8, or upstream's
 * `registry`) spawned beside the emulator with a config of our own, never the packaged one (which listens
 * on every interface): loopback only, filesystem storage in a temp dir (or `storageDir`), deletes enabled,
 * `auth: token` trusting the emulator's token service, and notifications to a small loopback receiver
 * that turns distribution's envelopes into `RegistryEvent`s. Notifications are asynchronous: they arrive
 * a moment after the push or delete returns.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UnsupportedError } from '../core/errors.js';
import { getLogger } from '../core/logger.js';
import { EVENTS_SECRET_HEADER, parseNotificationEnvelope, secretMatches } from './registry-notifications.js';
import type { RegistryEvent, RegistryOptions, RunningRegistry } from './registry-types.js';

export interface DistributionRegistryOptions extends RegistryOptions {
  /** The registry program; default: `docker-registry`, else `registry`, found on PATH. */
  binary?: string;
}

const BINARY_NAMES = ['docker-registry', 'registry'];
const STARTUP_TIMEOUT_MS = 15_000;
const MAX_NOTIFICATION_BYTES = 4 * 1024 * 1024;

/** Children and temp dirs still alive, removed if the process exits without stopping them. */
const live = new Map<ChildProcess, string>();
let reaperInstalled = false;

function installReaper(): void {
  if (reaperInstalled) return;
  reaperInstalled = true;
  process.once('exit', () => {
    for (const [child, dir] of live) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A distribution registry program on PATH (one whose `--version` names distribution), if any. */
export function findDistributionBinary(path = process.env.PATH ?? ''): string | undefined {
  for (const name of BINARY_NAMES) {
    for (const dir of path.split(delimiter).filter(Boolean)) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
      } catch {
        continue;
      }
      const version = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 5_000 });
      if (/distribution/i.test(`${version.stdout}${version.stderr}`)) return candidate;
    }
  }
  return undefined;
}

/** A port free on `host` right now (the kernel picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/**
 * A distribution 2.x config for a loopback registry (never Debian's packaged one, which listens on every
 * interface with htpasswd). JSON strings are valid YAML scalars, so every value is written that way.
 */
export function distributionConfig(
  addr: string,
  storageDir: string,
  auth: { realm: string; service: string; issuer: string; bundlePath: string } | undefined,
  notify?: { url: string; secret: string },
  deleteEnabled = true,
): string {
  const q = JSON.stringify;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(storageDir)}`,
    '  delete:',
    `    enabled: ${deleteEnabled}`,
    '  redirect:',
    '    disable: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${q(addr)}`,
    `  secret: ${q(randomBytes(24).toString('hex'))}`,
  ];
  if (auth) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${q(auth.realm)}`,
      `    service: ${q(auth.service)}`,
      `    issuer: ${q(auth.issuer)}`,
      `    rootcertbundle: ${q(auth.bundlePath)}`,
    );
  }
  if (notify) {
    lines.push(
      'notifications:',
      '  endpoints:',
      '    - name: emulator',
      `      url: ${q(notify.url)}`,
      '      headers:',
      `        ${EVENTS_SECRET_HEADER}: [${q(notify.secret)}]`,
      '      timeout: 2s',
      '      threshold: 3',
      '      backoff: 250ms',
      '      ignoredmediatypes:',
      '        - application/octet-stream',
      '      ignore:',
      '        actions:',
      '          - pull',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Receives distribution's notifications on loopback and hands each push or delete to `onEvent`. */
async function startNotificationReceiver(
  secret: string,
  onEvent: (event: RegistryEvent) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || !secretMatches(secret, req.headers[EVENTS_SECRET_HEADER])) {
      res.writeHead(req.method === 'POST' ? 401 : 405).end();
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_NOTIFICATION_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      let events: RegistryEvent[] = [];
      try {
        events = parseNotificationEnvelope(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        // A malformed envelope is dropped; answering 2xx keeps distribution from retrying it forever.
      }
      for (const event of events) {
        try {
          onEvent(event);
        } catch (err) {
          getLogger().warn({ err: (err as Error).message }, 'registry event handler failed');
        }
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, server };
}

/** Status of GET /v2/, or undefined while nothing listens. A fresh socket each time. */
export function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = get(`${url}/v2/`, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** One attempt on one port; fails with the registry's log when it does not come up. */
async function startOnce(
  binary: string,
  dir: string,
  storageDir: string,
  host: string,
  port: number,
  opts: RegistryOptions,
  notify: { url: string; secret: string } | undefined,
): Promise<{ child: ChildProcess; url: string; hostPort: string }> {
  let auth: Parameters<typeof distributionConfig>[2];
  if (opts.auth) {
    const bundlePath = join(dir, 'root-certs.pem');
    await writeFile(bundlePath, opts.auth.rootCertBundle);
    auth = { ...opts.auth, bundlePath };
  }
  const hostPort = `${host}:${port}`;
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, distributionConfig(hostPort, storageDir, auth, notify));
  // REGISTRY_* variables override the config file; none from the caller's environment may leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const child = spawn(binary, ['serve', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.set(child, dir);
  let log = '';
  const capture = (chunk: Buffer) => {
    if (log.length < 64_000) log += chunk.toString('utf8');
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  let exited = false;
  child.once('close', () => {
    exited = true;
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  const url = `http://${hostPort}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    const status = exited || spawnError ? undefined : await probe(url);
    if (status === 200 || status === 401) return { child, url, hostPort };
    if (exited || spawnError || Date.now() > deadline) {
      await stopChild(child);
      live.delete(child);
      const why = spawnError?.message ?? (exited ? 'exited' : `not ready after ${STARTUP_TIMEOUT_MS} ms`);
      throw Object.assign(new Error(`${binary} ${why}:\n${log.trim()}`), { log });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts distribution trusting `opts.auth` (when given) and reporting pushes and deletes to
 * `opts.onEvent`. Throws `UnsupportedError` when no registry program is on PATH.
 */
export async function startDistributionRegistry(opts: DistributionRegistryOptions): Promise<RunningRegistry> {
  const binary = opts.binary ?? findDistributionBinary();
  if (!binary)
    throw new UnsupportedError(`no distribution registry on PATH (looked for ${BINARY_NAMES.join(', ')})`);
  installReaper();
  const host = opts.host ?? '127.0.0.1';
  const dir = await mkdtemp(join(tmpdir(), 'dh-emulator-registry-'));
  const storageDir = opts.storageDir ?? join(dir, 'storage');
  let receiver: Awaited<ReturnType<typeof startNotificationReceiver>> | undefined;
  const cleanup = async () => {
    receiver?.server.closeAllConnections();
    await new Promise((r) => (receiver ? receiver.server.close(r) : r(undefined)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mkdir(storageDir, { recursive: true });
    const secret = randomBytes(24).toString('hex');
    if (opts.onEvent) receiver = await startNotificationReceiver(secret, opts.onEvent);
    const notify = receiver ? { url: receiver.url, secret } : undefined;
    // A port we picked may be taken before the registry binds it; then try another (twice at most).
    for (let attempt = 1; ; attempt++) {
      const port = opts.port || (await freePort(host));
      try {
        const started = await startOnce(binary, dir, storageDir, host, port, opts, notify);
        let stopped: Promise<void> | undefined;
        return {
          url: started.url,
          host: started.hostPort,
          kind: 'distribution',
          stop: () => {
            stopped ??= (async () => {
              await stopChild(started.child);
              live.delete(started.child);
              await cleanup();
            })();
            return stopped;
          },
        };
      } catch (err) {
        const log = (err as { log?: string }).log ?? '';
        if (opts.port || attempt >= 3 || !/address already in use/i.test(log)) throw err;
      }
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
}
