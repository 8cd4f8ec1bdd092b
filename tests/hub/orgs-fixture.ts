/** A seeded emulator for the organization tests: acme with an owner, an editor, members and a team. */
import { afterAll, beforeAll } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';
import { type CliRun, cli } from '../helpers/cli.js';

export const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

export const orgSeed = {
  users: [
    { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
    { username: 'bob', password: 'bob-pw', email: 'bob@example.test' },
    { username: 'carol', password: 'carol-pw', email: 'carol@example.test' },
    { username: 'dave', password: 'dave-pw', email: 'dave@example.test' },
    { username: 'erin', password: 'erin-pw', email: 'erin@example.test' },
  ],
  orgs: [
    {
      name: 'acme',
      members: [
        { username: 'alice', role: 'owner' as const },
        'bob',
        { username: 'carol', role: 'editor' as const },
        'erin',
      ],
      teams: [{ name: 'devs', members: ['bob'] }],
    },
  ],
  repositories: [
    {
      namespace: 'acme',
      name: 'app',
      tags: [{ name: 'latest' }, { name: 'v1.0' }, { name: 'v1.1' }, { name: 'dev' }],
    },
    { namespace: 'dave', name: 'own', tags: [{ name: 'v1' }] },
  ],
};

export const passwords: Record<string, string> = {
  alice: SENTINEL,
  bob: 'bob-pw',
  carol: 'carol-pw',
  dave: 'dave-pw',
  erin: 'erin-pw',
};

export function startOrgEmulator(): Promise<RunningEmulator> {
  return startEmulator({ seed: orgSeed });
}

export function hubAs(emu: RunningEmulator, user: string, allowDestructive = false): HubClient {
  return new HubClient({
    baseUrl: emu.url,
    credentials: { username: user, password: passwords[user] ?? '', env: {}, useDockerConfig: false },
    allowDestructive,
  });
}

/**
 * The org emulator for one test file (started before, stopped after), with SDK clients as its users
 * (`as`, closed after the file).
 */
export function orgTestbed(): {
  emu: () => RunningEmulator;
  as: (user: string, allowDestructive?: boolean) => HubClient;
} {
  let emu: RunningEmulator | undefined;
  const clients: HubClient[] = [];
  beforeAll(async () => {
    emu = await startOrgEmulator();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await emu?.stop();
  });
  const running = () => {
    if (!emu) throw new Error('the org emulator is not running');
    return emu;
  };
  return {
    emu: running,
    as: (user, allowDestructive = false) => {
      const c = hubAs(running(), user, allowDestructive);
      clients.push(c);
      return c;
    },
  };
}

/**
 * The CLI against the org emulator as alice (credentials from env, as a user has them), or as another
 * seeded user with `dhAs`; every output is kept in `outputs` for the sentinel check.
 */
export function orgCli(emu: () => RunningEmulator, outputs: string[]) {
  const dh = async (...args: string[]): Promise<CliRun> => {
    const res = await cli(['--hub-url', emu().url, ...args]);
    outputs.push(res.stdout, res.stderr);
    return res;
  };
  const dhAs = async (user: string, ...args: string[]): Promise<CliRun> => {
    process.env.DOCKER_HUB_USER = user;
    process.env.DOCKER_HUB_TOKEN = passwords[user];
    try {
      return await dh(...args);
    } finally {
      process.env.DOCKER_HUB_USER = 'alice';
      process.env.DOCKER_HUB_TOKEN = SENTINEL;
    }
  };
  return { dh, dhAs };
}
