/**
 * `dockerhub emulator`: runs the local Docker Hub (and a registry beside it) until Ctrl-C, printing where
 * they listen and how to point the CLI and Docker at them. Flag parsing lives here so it can be tested.
 */
import { ValidationError } from '../../core/errors.js';
import { parseRegistryMode, type RegistryMode } from '../../emulator/registry-launch.js';
import type { EmulatorOptions, FaultRule, RunningEmulator } from '../../emulator/server.js';
import type { ProgramIO } from '../program.js';

export interface EmulatorFlags {
  port?: string;
  host?: string;
  publicUrl?: string;
  registryHost?: string;
  registryPublicHost?: string;
  seed?: string;
  persist?: string;
  registry?: string;
  registryPort?: string;
  registryUrl?: string;
  storage?: string;
  fault?: string[];
  latency?: string;
  /** False with `--no-validate`. */
  validate?: boolean;
  /** Seed the demo data (and push the demo images) instead of `--seed`. */
  demo?: boolean;
}

export function parsePort(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new ValidationError(`${flag} must be 0-65535, got "${value}"`);
  return port;
}

/**
 * `MATCH=STATUS[:TIMES[:RETRY_AFTER]]`, e.g. `POST /v2/auth/token=429:5:2`: the next 5 requests whose
 * "METHOD /path" matches the regular expression MATCH get 429 with `Retry-After: 2`. Without `MATCH=`,
 * any request matches.
 */
export function parseFault(spec: string): FaultRule {
  const eq = spec.lastIndexOf('=');
  const match = eq >= 0 ? spec.slice(0, eq) : undefined;
  const [status, times, retryAfter, ...rest] = spec.slice(eq + 1).split(':');
  const bad = (why: string) =>
    new ValidationError(`--fault "${spec}": ${why} (expected MATCH=STATUS[:TIMES[:RETRY_AFTER]])`);
  const int = (v: string | undefined, what: string, min: number, max: number) => {
    const n = Number(v);
    if (!/^\d+$/.test(v ?? '') || n < min || n > max) throw bad(`${what} must be ${min}-${max}`);
    return n;
  };
  if (rest.length) throw bad('too many fields');
  if (match !== undefined) {
    try {
      new RegExp(match);
    } catch {
      throw bad('MATCH is not a valid regular expression');
    }
  }
  return {
    ...(match ? { match } : {}),
    status: int(status, 'STATUS', 100, 599),
    times: times === undefined ? 1 : int(times, 'TIMES', 1, 1_000_000),
    ...(retryAfter === undefined ? {} : { retryAfter: int(retryAfter, 'RETRY_AFTER', 0, 86_400) }),
  };
}

export function emulatorOptions(f: EmulatorFlags): EmulatorOptions {
  if (f.registryUrl && f.registry && f.registry !== 'none')
    throw new ValidationError('give either --registry-url (a registry you run) or --registry, not both');
  const registry: RegistryMode = f.registry === undefined ? 'auto' : parseRegistryMode(f.registry);
  const latency = f.latency === undefined ? undefined : Number(f.latency);
  if (latency !== undefined && (!/^\d+$/.test(f.latency ?? '') || latency > 60_000))
    throw new ValidationError(`--latency must be 0-60000 milliseconds, got "${f.latency}"`);
  if (f.publicUrl !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(f.publicUrl))
    throw new ValidationError(`--public-url must be http(s)://host[:port], got "${f.publicUrl}"`);
  if (f.registryPublicHost !== undefined && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(f.registryPublicHost))
    throw new ValidationError(`--registry-public-host must be host[:port], got "${f.registryPublicHost}"`);
  return {
    port: parsePort(f.port, '--port'),
    host: f.host,
    publicUrl: f.publicUrl,
    registryHost: f.registryHost,
    registryPublicHost: f.registryPublicHost,
    registry: f.registryUrl ? { url: f.registryUrl } : registry,
    registryPort: parsePort(f.registryPort, '--registry-port'),
    storageDir: f.storage,
    persistPath: f.persist,
    faults: (f.fault ?? []).map(parseFault),
    latencyMs: latency,
    validate: f.validate !== false,
  };
}

/** What the user needs to know once everything listens. */
export function describeEmulator(emu: RunningEmulator, persistPath?: string): string {
  const lines = [
    `Docker Hub emulator on ${emu.url} (${emu.spec ? `${emu.spec.operations} spec operations validated` : 'requests not validated: --no-validate'})`,
    `registry token service: ${emu.registryAuth.realm} (service ${emu.registryAuth.service})`,
  ];
  const reg = emu.registry;
  if (!reg) {
    lines.push('no registry (--registry none)');
  } else if (reg.kind === 'external') {
    lines.push(
      `registry: ${reg.url} (yours); to sync its pushes, add a notifications endpoint:`,
      `  url ${emu.registryEvents.url}, header ${emu.registryEvents.header}: ${emu.registryEvents.secret}`,
    );
  } else {
    lines.push(
      `registry (${reg.kind}) on ${reg.host}, trusting the emulator's tokens; pushes appear in the Hub API within a moment`,
    );
  }
  if (persistPath) lines.push(`state saved to ${persistPath} after every change`);
  lines.push('use them with:', `  export DOCKERHUB_API_URL=${emu.url}`);
  if (reg) {
    lines.push(
      `  dockerhub tags ${reg.host}/<namespace>/<repository>   (loopback: plain HTTP, no --insecure-registry needed)`,
      `  docker login ${reg.host}   (a seeded user, password or PAT)`,
    );
  }
  lines.push('Ctrl-C stops everything');
  return `${lines.join('\n')}\n`;
}

/** Waits for Ctrl-C (or SIGTERM, or the test's abort signal). */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    if (signal?.aborted) return done();
    signal?.addEventListener('abort', done, { once: true });
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** `--demo`: the demo data; the demo user's password and acme's SCIM token from the environment, or fresh. */
async function startDemo(io: ProgramIO, f: EmulatorFlags, opts: EmulatorOptions) {
  if (f.seed || f.persist)
    throw new ValidationError('--demo brings its own data: leave out --seed and --persist');
  if (typeof opts.registry === 'object' || opts.registry === 'none')
    throw new ValidationError('--demo pushes images: it needs --registry auto, distribution or builtin');
  const { startDemoEmulator, DEMO_USER, DEMO_ORG } = await import('../../emulator/demo-data.js');
  const env = process.env;
  const demo = await startDemoEmulator({
    ...opts,
    registry: opts.registry,
    password: env.DOCKERHUB_DEMO_PASSWORD || undefined,
    scimToken: env.DOCKERHUB_DEMO_SCIM_TOKEN || undefined,
  });
  // A fresh credential is only useful if the user learns it; one they set is not repeated.
  const password = env.DOCKERHUB_DEMO_PASSWORD ? '(DOCKERHUB_DEMO_PASSWORD)' : demo.credentials.password;
  const scim = env.DOCKERHUB_DEMO_SCIM_TOKEN ? '(DOCKERHUB_DEMO_SCIM_TOKEN)' : demo.scimToken;
  io.stderr(
    `demo data: organization ${DEMO_ORG}, user ${DEMO_USER} (password ${password}), SCIM token of ${DEMO_ORG} ${scim}, images ${demo.images.join(', ')}\n`,
  );
  return { emu: demo.emulator, stop: demo.close };
}

export async function serveEmulator(io: ProgramIO, f: EmulatorFlags): Promise<void> {
  const { startEmulator, EmulatorState } = await import('../../emulator/index.js');
  const opts = emulatorOptions(f);
  opts.warn = io.stderr;
  let running: { emu: RunningEmulator; stop: () => Promise<void> };
  if (f.demo) running = await startDemo(io, f, opts);
  else {
    if (f.seed) opts.state = await EmulatorState.fromFile(f.seed);
    const emu = await startEmulator(opts);
    running = { emu, stop: () => emu.stop() };
  }
  try {
    io.stderr(describeEmulator(running.emu, f.persist));
    io.onListening?.(running.emu.url);
    await untilStopped(io.signal);
  } finally {
    await running.stop();
  }
  io.stderr('emulator stopped\n');
}
