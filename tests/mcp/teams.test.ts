/**
 * hub_teams through a real MCP client against the emulator: teams and their members, each action with a
 * success and a failure; delete and remove_member hidden, then confirmed, declined or unconfirmable.
 */
import { describe, expect, it } from 'vitest';
import { emulatorFor, type McpSessionOptions, SENTINEL, sessionsFor } from './harness.js';
import { advertisedActions, expectDeclined, expectRefusedWhileOff, ok } from './tool-helpers.js';

const seed = {
  users: [
    { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
    { username: 'bob', password: 'bob-pw', email: 'bob@example.test' },
    { username: 'carol', password: 'carol-pw', email: 'carol@example.test' },
    { username: 'dave', password: 'dave-pw', email: 'dave@example.test' },
  ],
  orgs: [
    {
      name: 'acme',
      members: [{ username: 'alice', role: 'owner' as const }, 'bob', 'carol'],
      teams: [
        { name: 'devs', members: ['bob', 'carol'] },
        { name: 'ops', members: ['carol'] },
        { name: 'qa', members: [] },
      ],
    },
  ],
  repositories: [{ namespace: 'acme', name: 'app', tags: [] }],
};

const emu = emulatorFor(seed);
const open = sessionsFor(emu);
const as = (username: string, opts: McpSessionOptions = {}) =>
  open({ ...opts, user: { username, password: `${username}-pw` } });

const teams = () => emu().state.orgAdmin.teamsOf('acme');
const membersOf = (team: string) => [...(teams().get(team)?.members ?? [])].sort();

describe.each(['legacy', 'modern'] as const)('hub_teams reads (%s era)', (era) => {
  it('lists teams a page at a time, or the teams of one user, and gets one', async () => {
    const s = await open({ era });
    const first = await s.call('hub_teams', { action: 'list', org_name: 'acme', page_size: 2 });
    expect(ok<Array<{ name: string }>>(first).map((t) => t.name)).toEqual(['devs', 'ops']);
    expect(first.envelope.next).toEqual({ page: 2, page_size: 2 });
    const carols = ok<Array<{ name: string }>>(
      await s.call('hub_teams', { action: 'list', org_name: 'acme', username: 'carol' }),
    );
    expect(carols.map((t) => t.name)).toEqual(['devs', 'ops']);
    expect(
      ok(await s.call('hub_teams', { action: 'get', org_name: 'acme', team_name: 'devs' })),
    ).toMatchObject({
      name: 'devs',
      member_count: 2,
    });
  });

  it('answers an unknown team with 404 and a stranger with 403', async () => {
    const s = await open({ era });
    const missing = await s.call('hub_teams', { action: 'get', org_name: 'acme', team_name: 'ghosts' });
    expect(missing.envelope.error).toMatchObject({ http_status: 404 });
    const dave = await as('dave', { era });
    const refused = await dave.call('hub_teams', { action: 'list', org_name: 'acme' });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
  });
});

describe('hub_teams writes', () => {
  it('creates a team with a description; a duplicate is refused, a member may not create', async () => {
    const s = await open();
    const created = ok(
      await s.call('hub_teams', {
        action: 'create',
        org_name: 'acme',
        team_name: 'web',
        description: 'Front end',
      }),
    );
    expect(created).toMatchObject({ name: 'web', description: 'Front end', member_count: 0 });
    const dup = await s.call('hub_teams', { action: 'create', org_name: 'acme', team_name: 'web' });
    expect(dup.envelope.error).toMatchObject({ http_status: 400 });
    expect(dup.envelope.error?.message).toMatch(/already exists/);
    const bob = await as('bob');
    const refused = await bob.call('hub_teams', { action: 'create', org_name: 'acme', team_name: 'mine' });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
    const slash = await s.call('hub_teams', { action: 'create', org_name: 'acme', team_name: 'a/b' });
    expect(slash.envelope.error?.message).toMatch(/invalid parameter "team_name"/);
  });

  it('update replaces the details (PUT), patch changes only what it names (PATCH)', async () => {
    const s = await open();
    ok(
      await s.call('hub_teams', {
        action: 'create',
        org_name: 'acme',
        team_name: 'docs',
        description: 'Manuals',
      }),
    );
    const patched = ok(
      await s.call('hub_teams', { action: 'patch', org_name: 'acme', team_name: 'docs', name: 'writers' }),
    );
    expect(patched).toMatchObject({ name: 'writers', description: 'Manuals' });
    const replaced = ok(
      await s.call('hub_teams', { action: 'update', org_name: 'acme', team_name: 'writers', name: 'docs' }),
    );
    expect(replaced).toMatchObject({ name: 'docs', description: '' });
    expect(teams().get('docs')?.description).toBeUndefined();
    const described = ok(
      await s.call('hub_teams', {
        action: 'patch',
        org_name: 'acme',
        team_name: 'docs',
        description: 'Docs team',
      }),
    );
    expect(described).toMatchObject({ name: 'docs', description: 'Docs team' });
  });

  it('update needs a name, patch needs something, renaming onto a team is refused, an unknown team is a 404', async () => {
    const s = await open();
    const noName = await s.call('hub_teams', { action: 'update', org_name: 'acme', team_name: 'qa' });
    expect(noName.envelope.error?.message).toMatch(/missing parameter "name"/);
    const nothing = await s.call('hub_teams', { action: 'patch', org_name: 'acme', team_name: 'qa' });
    expect(nothing.envelope.error?.message).toMatch(/give name or description/);
    const clash = await s.call('hub_teams', {
      action: 'patch',
      org_name: 'acme',
      team_name: 'qa',
      name: 'devs',
    });
    expect(clash.envelope.error).toMatchObject({ http_status: 400 });
    const ghost = await s.call('hub_teams', {
      action: 'update',
      org_name: 'acme',
      team_name: 'ghosts',
      name: 'x',
    });
    expect(ghost.envelope.error).toMatchObject({ http_status: 404 });
  });

  it('lists and adds members (by Docker ID or email); someone outside the org cannot be added', async () => {
    const s = await open();
    const members = ok<Array<{ username: string; email?: string }>>(
      await s.call('hub_teams', { action: 'list_members', org_name: 'acme', team_name: 'devs' }),
    );
    expect(members.map((m) => [m.username, m.email])).toEqual([
      ['bob', 'bob@example.test'],
      ['carol', 'carol@example.test'],
    ]);
    expect(
      ok(
        await s.call('hub_teams', { action: 'add_member', org_name: 'acme', team_name: 'qa', member: 'bob' }),
      ),
    ).toEqual({ added: 'bob', team: 'acme/qa' });
    ok(
      await s.call('hub_teams', {
        action: 'add_member',
        org_name: 'acme',
        team_name: 'qa',
        member: 'carol@example.test',
      }),
    );
    expect(membersOf('qa')).toEqual(['bob', 'carol']);
    const outsider = await s.call('hub_teams', {
      action: 'add_member',
      org_name: 'acme',
      team_name: 'qa',
      member: 'dave',
    });
    expect(outsider.envelope.error).toMatchObject({ http_status: 404 });
    expect(outsider.envelope.error?.message).toMatch(/member dave of acme not found/);
    const noTeam = await s.call('hub_teams', {
      action: 'list_members',
      org_name: 'acme',
      team_name: 'ghosts',
    });
    expect(noTeam.envelope.error).toMatchObject({ http_status: 404 });
  });
});

describe('hub_teams destructive actions', () => {
  it('hides delete and remove_member by default and refuses them by name', async () => {
    const s = await open();
    const actions = await advertisedActions(s, 'hub_teams');
    expect(actions).toEqual(['list', 'create', 'get', 'update', 'patch', 'list_members', 'add_member']);
    await expectRefusedWhileOff(s, 'hub_teams', { action: 'delete', org_name: 'acme', team_name: 'ops' });
    await expectRefusedWhileOff(s, 'hub_teams', {
      action: 'remove_member',
      org_name: 'acme',
      team_name: 'ops',
      username: 'carol',
    });
    expect(teams().has('ops')).toBe(true);
    expect(membersOf('ops')).toEqual(['carol']);
  });

  it.each(['legacy', 'modern'] as const)(
    'deletes a team and removes a member once confirmed (%s era)',
    async (era) => {
      const s = await open({ era, allowDestructive: true, elicit: 'accept' });
      const team = `gone-${era}`;
      ok(await s.call('hub_teams', { action: 'create', org_name: 'acme', team_name: team }));
      ok(
        await s.call('hub_teams', { action: 'add_member', org_name: 'acme', team_name: team, member: 'bob' }),
      );
      expect(
        ok(
          await s.call('hub_teams', {
            action: 'remove_member',
            org_name: 'acme',
            team_name: team,
            username: 'bob',
          }),
        ),
      ).toEqual({ removed: 'bob', team: `acme/${team}` });
      expect(membersOf(team)).toEqual([]);
      expect(ok(await s.call('hub_teams', { action: 'delete', org_name: 'acme', team_name: team }))).toEqual({
        deleted: `acme/${team}`,
      });
      expect(teams().has(team)).toBe(false);
      expect(s.asked).toEqual([
        `Remove bob from the team acme/${team}? They lose the repository access it gave them. (hub_teams.remove_member)`,
        `Delete the team acme/${team}? Its members lose the repository access it gave them. (hub_teams.delete)`,
      ]);
      const again = await s.call('hub_teams', { action: 'delete', org_name: 'acme', team_name: team });
      expect(again.envelope.error).toMatchObject({ http_status: 404 });
      const notIn = await s.call('hub_teams', {
        action: 'remove_member',
        org_name: 'acme',
        team_name: 'qa',
        username: 'dave',
      });
      expect(notIn.envelope.error).toMatchObject({ http_status: 404 });
    },
  );

  it.each(['decline', 'cancel', 'untick'] as const)(
    'changes nothing when the user answers %s',
    async (elicit) => {
      const s = await open({ allowDestructive: true, elicit });
      expectDeclined(await s.call('hub_teams', { action: 'delete', org_name: 'acme', team_name: 'ops' }));
      expectDeclined(
        await s.call('hub_teams', {
          action: 'remove_member',
          org_name: 'acme',
          team_name: 'ops',
          username: 'carol',
        }),
      );
      expect(teams().has('ops')).toBe(true);
      expect(membersOf('ops')).toEqual(['carol']);
    },
  );

  it('without elicitation: refused when confirmation is required, run on the host’s approval otherwise', async () => {
    const s = await open({ allowDestructive: true, confirm: 'always' });
    const refused = await s.call('hub_teams', { action: 'delete', org_name: 'acme', team_name: 'ops' });
    expect(refused.envelope.error?.message).toMatch(/cannot ask/);
    expect(teams().has('ops')).toBe(true);
    const t = await open({ allowDestructive: true });
    ok(await t.call('hub_teams', { action: 'delete', org_name: 'acme', team_name: 'ops' }));
    expect(teams().has('ops')).toBe(false);
  });
});
