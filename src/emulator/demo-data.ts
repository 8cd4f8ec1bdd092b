/**
 * The emulator with demo data, for trying things with no account: an organization `acme` with members,
 * teams, repositories and tags, SCIM provisioning, two versions of `acme/hello` pushed to the registry
 * beside it (v2 also tagged latest), and Docker Scout knowing them by their real digests (a base image,
 * recommendations, acme's policies). `dockerhub emulator --demo`, `dockerhub-mcp --emulator` and
 * `dockerhub-agent --emulator` all start it. The demo user's password and the SCIM token are fresh each run
 * unless given.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoImage } from './demo-image.js';
import { demoScoutImages, demoScoutSeed } from './demo-scout.js';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from './server.js';
import type { Seed } from './state.js';

export const DEMO_USER = 'demo';
export const DEMO_ORG = 'acme';

/** The demo organization: people, teams, repositories with tags, SCIM provisioning and Scout. */
export function demoSeed(password: string, scimToken: string): Seed {
  const other = () => randomBytes(12).toString('hex');
  return {
    users: [
      { username: DEMO_USER, password, email: 'demo@example.invalid' },
      { username: 'alice', password: other(), email: 'alice@example.invalid' },
      { username: 'bob', password: other(), email: 'bob@example.invalid' },
      { username: 'carol', password: other(), email: 'carol@example.invalid' },
    ],
    orgs: [
      {
        name: DEMO_ORG,
        members: [
          { username: DEMO_USER, role: 'owner' },
          'alice',
          { username: 'bob', role: 'editor' },
          'carol',
        ],
        teams: [
          { name: 'developers', members: ['alice', 'bob'] },
          { name: 'release', members: ['bob'] },
        ],
      },
    ],
    repositories: [
      {
        namespace: DEMO_ORG,
        name: 'web',
        description: 'The storefront',
        tags: [{ name: 'latest' }, { name: '1.4.2' }, { name: '1.4.1' }, { name: '1.3.0' }],
        pull_count: 1200,
        star_count: 4,
      },
      {
        namespace: DEMO_ORG,
        name: 'api',
        description: 'Backend API',
        is_private: true,
        tags: [{ name: 'latest' }, { name: '2.0.0' }],
        pull_count: 310,
      },
      {
        namespace: DEMO_ORG,
        name: 'legacy-batch',
        description: 'No longer deployed',
        tags: [{ name: '0.9' }],
      },
      { namespace: DEMO_USER, name: 'scratchpad', description: 'Experiments', tags: [] },
    ],
    scim: { org: DEMO_ORG, token: scimToken },
    scout: demoScoutSeed(DEMO_ORG, DEMO_USER),
  };
}

export interface DemoEmulatorOptions
  extends Omit<EmulatorOptions, 'seed' | 'state' | 'persistPath' | 'registry'> {
  /** The demo user's password (default: fresh each run). */
  password?: string;
  /** The SCIM bearer token of acme (default: fresh each run). */
  scimToken?: string;
  /** Default `auto`: a real distribution registry when installed, else the built-in one. */
  registry?: 'auto' | 'distribution' | 'builtin';
}

export interface DemoEmulator {
  emulator: RunningEmulator;
  /** Sign in as the demo user (as SDK credentials; no Docker config, no environment). */
  credentials: { username: string; password: string; env: Record<string, string>; useDockerConfig: false };
  scimToken: string;
  /** The pushed images: `host/acme/hello:v1` and `host/acme/hello:v2` (also `latest`). */
  images: string[];
  close(): Promise<void>;
}

/** Starts the emulator with its registry and the demo data, and pushes the demo images into it. */
export async function startDemoEmulator(opts: DemoEmulatorOptions = {}): Promise<DemoEmulator> {
  const { RegistryClient, pushImage, tagImage } = await import('../registry/index.js');
  const password = opts.password ?? `demo-${randomBytes(12).toString('hex')}`;
  const scimToken = opts.scimToken ?? `scim-${randomBytes(16).toString('hex')}`;
  const { password: _p, scimToken: _s, ...emulatorOptions } = opts;
  const work = await mkdtemp(join(tmpdir(), 'dh-demo-emulator-'));
  const credentials = { username: DEMO_USER, password, env: {}, useDockerConfig: false as const };
  let emulator: RunningEmulator | undefined;
  const close = async () => {
    await emulator?.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    // The images are written while the emulator starts, then pushed side by side.
    const [started, v1, v2] = await Promise.all([
      startEmulator({
        ...emulatorOptions,
        seed: demoSeed(password, scimToken),
        registry: opts.registry ?? 'auto',
      }),
      writeDemoImage(join(work, 'v1'), 'v1'),
      writeDemoImage(join(work, 'v2'), 'v2'),
    ]);
    emulator = started;
    const registry = emulator.registry;
    if (!registry) throw new Error('the emulator started without a registry');
    // Pushed where the registry listens (this process may not resolve its public name); image names
    // and Scout's records use the public one.
    // A wildcard bind is reached on loopback.
    const local = (registry.local?.host ?? registry.host).replace(/^(0\.0\.0\.0|\[::\]):/, '127.0.0.1:');
    const at = (host: string, tag: string) => `${host}/${DEMO_ORG}/hello:${tag}`;
    const client = new RegistryClient({ credentials });
    try {
      await Promise.all([
        pushImage(client, v1.dir, at(local, 'v1')),
        pushImage(client, v2.dir, at(local, 'v2')),
      ]);
      await tagImage(client, at(local, 'v2'), 'latest');
    } finally {
      await client.close();
    }
    const digests = { v1: v1.manifestDigest, v2: v2.manifestDigest };
    for (const image of demoScoutImages(DEMO_ORG, registry.host, digests)) emulator.state.scout.add(image);
    return {
      emulator,
      credentials,
      scimToken,
      images: [at(registry.host, 'v1'), at(registry.host, 'v2')],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
