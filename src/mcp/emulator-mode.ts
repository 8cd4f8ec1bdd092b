/**
 * `dockerhub-mcp --emulator`: a local Docker Hub (the emulator, with its registry) started in-process
 * with demo data, and SDK clients pointed at it, so anyone can try the server in an assistant with no
 * account and no network. The demo user's password is fresh each run and lives only in this process.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator, Seed } from '../emulator/index.js';
import type { McpClientsOptions } from './clients.js';

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
  };
}

export interface EmulatorSession {
  emulator: RunningEmulator;
  /** What McpClients needs to act as the demo user against the emulator. */
  clients: Pick<McpClientsOptions, 'hubUrl' | 'scoutUrl' | 'credentials' | 'scimToken'>;
  /** The pushed demo image, `host/acme/hello:v1`. */
  image: string;
  close(): Promise<void>;
}

/** Starts the emulator with its registry and demo data, and pushes one image into it. */
export async function startEmulatorSession(): Promise<EmulatorSession> {
  const [{ startEmulator }, { writeDemoImage }, { RegistryClient, pushImage }] = await Promise.all([
    import('../emulator/index.js'),
    import('../emulator/demo-image.js'),
    import('../registry/index.js'),
  ]);
  const password = `demo-${randomBytes(12).toString('hex')}`;
  const scimToken = `scim-${randomBytes(16).toString('hex')}`;
  const work = await mkdtemp(join(tmpdir(), 'dh-mcp-emulator-'));
  const emulator = await startEmulator({ seed: demoSeed(password, scimToken), registry: 'auto' });
  const credentials = { username: DEMO_USER, password, env: {}, useDockerConfig: false };
  const close = async () => {
    await emulator.stop();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const host = emulator.registry?.host;
    if (!host) throw new Error('the emulator started without a registry');
    const image = `${host}/${DEMO_ORG}/hello:v1`;
    const layout = await writeDemoImage(join(work, 'layout'), 'v1');
    const registry = new RegistryClient({ credentials });
    try {
      await pushImage(registry, layout.dir, image);
    } finally {
      await registry.close();
    }
    return {
      emulator,
      clients: { hubUrl: emulator.url, scoutUrl: emulator.url, credentials, scimToken },
      image,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
