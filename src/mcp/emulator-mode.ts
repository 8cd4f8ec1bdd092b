/**
 * `dockerhub-mcp --emulator`: a local Docker Hub (the emulator, with its registry) started in-process
 * with demo data, and SDK clients pointed at it, so anyone can try the server in an assistant with no
 * account and no network. The demo user's password is fresh each run and lives only in this process.
 * Two versions of `acme/hello` are pushed, and Docker Scout knows them by their real digests (with a
 * base image, recommendations and acme's policies), so every Scout action has something to show.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator, Seed } from '../emulator/index.js';
import type { McpClientsOptions } from './clients.js';
import { demoScoutImages, demoScoutSeed } from './demo-scout.js';

export const DEMO_USER = 'demo';
export const DEMO_ORG = 'acme';

/** The demo organization: people, teams, repositories with tags, and SCIM provisioning. */
export function demoSeed(password: string, scimToken: string): Seed {
  return {
    users: [
      { username: DEMO_USER, password, email: 'demo@example.invalid' },
      { username: 'alice', password: randomBytes(12).toString('hex'), email: 'alice@example.invalid' },
      { username: 'bob', password: randomBytes(12).toString('hex'), email: 'bob@example.invalid' },
      { username: 'carol', password: randomBytes(12).toString('hex'), email: 'carol@example.invalid' },
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

export interface EmulatorSession {
  emulator: RunningEmulator;
  /** What McpClients needs to act as the demo user against the emulator. */
  clients: Pick<McpClientsOptions, 'hubUrl' | 'scoutUrl' | 'scoutOrganization' | 'credentials' | 'scimToken'>;
  /** The first pushed demo image, `host/acme/hello:v1`. */
  image: string;
  /** Every pushed demo image: `hello:v1`, and `hello:v2` (also tagged latest). */
  images: string[];
  close(): Promise<void>;
}

/** Starts the emulator with its registry and demo data, and pushes the demo images into it. */
export async function startEmulatorSession(): Promise<EmulatorSession> {
  const [{ startEmulator }, { writeDemoImage }, { RegistryClient, pushImage, tagImage }] = await Promise.all([
    import('../emulator/index.js'),
    import('../emulator/demo-image.js'),
    import('../registry/index.js'),
  ]);
  const password = `demo-${randomBytes(12).toString('hex')}`;
  const scimToken = `scim-${randomBytes(16).toString('hex')}`;
  const work = await mkdtemp(join(tmpdir(), 'dh-mcp-emulator-'));
  const credentials = { username: DEMO_USER, password, env: {}, useDockerConfig: false };
  let emulator: RunningEmulator | undefined;
  const close = async () => {
    await emulator?.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    // The images are written while the emulator starts; they are pushed side by side.
    const [started, v1, v2] = await Promise.all([
      startEmulator({ seed: demoSeed(password, scimToken), registry: 'auto' }),
      writeDemoImage(join(work, 'v1'), 'v1'),
      writeDemoImage(join(work, 'v2'), 'v2'),
    ]);
    emulator = started;
    const host = emulator.registry?.host;
    if (!host) throw new Error('the emulator started without a registry');
    const images = [`${host}/${DEMO_ORG}/hello:v1`, `${host}/${DEMO_ORG}/hello:v2`];
    const registry = new RegistryClient({ credentials });
    try {
      await Promise.all([pushImage(registry, v1.dir, images[0]!), pushImage(registry, v2.dir, images[1]!)]);
      await tagImage(registry, images[1]!, 'latest');
    } finally {
      await registry.close();
    }
    const digests = { v1: v1.manifestDigest, v2: v2.manifestDigest };
    for (const image of demoScoutImages(DEMO_ORG, host, digests)) emulator.state.scout.add(image);
    return {
      emulator,
      clients: {
        hubUrl: emulator.url,
        scoutUrl: emulator.url,
        scoutOrganization: DEMO_ORG,
        credentials,
        scimToken,
      },
      image: images[0]!,
      images,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
