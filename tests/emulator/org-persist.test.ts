/** Organization data (roles, teams, invites, settings, team grants, immutable tags) survive a restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmulatorState, startEmulator } from '../../src/emulator/index.js';
import { hubAs, orgSeed } from '../hub/orgs-fixture.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-org-persist-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

it('persists what the org routes change, and the restored state keeps enforcing it', async () => {
  const file = join(work, 'state.json');
  const first = await startEmulator({ seed: orgSeed, persistPath: file });
  const alice = hubAs(first, 'alice', true);
  await alice.orgs.members.updateRole('acme', 'carol', 'owner');
  const qa = await alice.orgs.teams.create('acme', 'qa');
  await alice.orgs.teams.members.add('acme', 'qa', 'erin');
  await alice.orgs.invites.bulk({ org: 'acme', role: 'member', team: 'qa', invitees: ['dave'] });
  await alice.orgs.settings.update('acme', { restricted_images: { enabled: true } });
  await alice.repositories.permissions.grantTeam('acme', 'app', qa.id, 'admin');
  await alice.repositories.immutableTags.update('acme', 'app', {
    immutable_tags: true,
    immutable_tags_rules: ['v1\\..*'],
  });
  await alice.close();
  await first.settle();
  await first.stop();

  const second = await startEmulator({ seed: {}, persistPath: file });
  try {
    const s = second.state;
    expect(s.orgAdmin.role('acme', 'carol')).toBe('owner');
    expect(s.orgAdmin.teamNames('acme', 'erin')).toEqual(['qa']);
    expect([...s.orgAdmin.invites.values()].map((i) => [i.invitee, i.team])).toEqual([['dave', 'qa']]);
    expect(s.orgAdmin.settings('acme').restricted_images.enabled).toBe(true);
    expect(s.isImmutableTag('acme', 'app', 'v1.0')).toBe(true);
    // erin administers acme/app through qa's grant; a new team gets a fresh id.
    const erin = hubAs(second, 'erin');
    expect(await erin.repositories.immutableTags.verify('acme', 'app', 'v.*')).toEqual(['v1.0', 'v1.1']);
    await erin.close();
    const alice2 = hubAs(second, 'alice');
    expect((await alice2.orgs.teams.create('acme', 'ops')).id).toBeGreaterThan(qa.id);
    await alice2.close();
  } finally {
    await second.stop();
  }
  // The facade holds no data of its own: a serialised state has none of it.
  expect(Object.keys(new EmulatorState(orgSeed).serialise().state as object)).not.toContain('orgAdmin');
});
