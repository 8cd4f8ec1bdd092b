/** A seeded emulator for the organization tests: acme with an owner, an editor, members and a team. */
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';

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
