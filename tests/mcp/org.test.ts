/**
 * hub_org through a real MCP client against the emulator: settings (a gated write), members, the CSV
 * export capped to fit a result, invites and the account's organizations; each action with a success and
 * a failure; destructive actions hidden, then confirmed, declined or unconfirmable.
 */
import { describe, expect, it } from 'vitest';
import { emulatorFor, type McpSessionOptions, SENTINEL, sessionsFor } from './harness.js';
import { advertisedActions, expectDeclined, expectRefusedWhileOff, ok } from './tool-helpers.js';

const crowd = Array.from({ length: 60 }, (_, i) => `user${String(i).padStart(2, '0')}`);

const seed = {
  users: [
    { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
    { username: 'bob', password: 'bob-pw', email: 'bob@example.test' },
    { username: 'carol', password: 'carol-pw', email: 'carol@example.test' },
    { username: 'dave', password: 'dave-pw', email: 'dave@example.test' },
    { username: 'erin', password: 'erin-pw', email: 'erin@example.test' },
    { username: 'frank', password: 'frank-pw', email: 'frank@example.test' },
    { username: 'grace', password: 'grace-pw', email: 'grace@example.test' },
    { username: 'heidi', password: 'heidi-pw', email: 'heidi@example.test' },
    ...crowd.map((u) => ({ username: u, password: `${u}-pw`, email: `${u}@example.test` })),
  ],
  orgs: [
    {
      name: 'acme',
      members: [
        { username: 'alice', role: 'owner' as const },
        'bob',
        { username: 'carol', role: 'editor' as const },
        'erin',
        'frank',
        'grace',
        'heidi',
      ],
      teams: [{ name: 'devs', members: ['bob'] }],
    },
    { name: 'big', members: [{ username: 'alice', role: 'owner' as const }, ...crowd] },
  ],
};

const emu = emulatorFor(seed);
const open = sessionsFor(emu);
const as = (username: string, opts: McpSessionOptions = {}) =>
  open({ ...opts, user: { username, password: `${username}-pw` } });

const settings = () => emu().state.orgAdmin.settings('acme').restricted_images;
const role = (org: string, user: string) => emu().state.orgAdmin.role(org, user);
const inviteOf = (invitee: string) =>
  emu()
    .state.orgAdmin.invitesOf('acme')
    .find((i) => i.invitee === invitee);

describe('hub_org settings', () => {
  it('reads the settings; a stranger gets 403 and an unknown org 404', async () => {
    const s = await open();
    expect(ok(await s.call('hub_org', { action: 'get_settings', org_name: 'acme' }))).toMatchObject({
      restricted_images: { enabled: false },
    });
    const unknown = await s.call('hub_org', { action: 'get_settings', org_name: 'nowhere' });
    expect(unknown.envelope.error).toMatchObject({ http_status: 404 });
    const t = await as('dave');
    const stranger = await t.call('hub_org', { action: 'get_settings', org_name: 'acme' });
    expect(stranger.envelope.error).toMatchObject({ http_status: 403 });
  });

  it('hides update_settings by default (an org-settings write) and refuses it by name', async () => {
    const s = await open();
    expect(await advertisedActions(s, 'hub_org')).not.toContain('update_settings');
    await expectRefusedWhileOff(s, 'hub_org', {
      action: 'update_settings',
      org_name: 'acme',
      restricted_images: { enabled: true },
    });
    expect(settings().enabled).toBe(false);
  });

  it('asks the user what will change and applies it once confirmed, keeping fields left out', async () => {
    const s = await open({ era: 'modern', allowDestructive: true, elicit: 'accept' });
    const data = ok(
      await s.call('hub_org', {
        action: 'update_settings',
        org_name: 'acme',
        restricted_images: { enabled: true, allow_verified_publishers: false },
      }),
    );
    expect(data).toMatchObject({ restricted_images: { enabled: true, allow_verified_publishers: false } });
    expect(settings()).toEqual({
      enabled: true,
      allow_official_images: true,
      allow_verified_publishers: false,
    });
    expect(s.asked).toEqual([
      'Change the settings of organization acme: restricted_images enabled=true, allow_verified_publishers=false? This changes what every member may pull. (hub_org.update_settings)',
    ]);
    const nothing = await s.call('hub_org', {
      action: 'update_settings',
      org_name: 'acme',
      restricted_images: {},
    });
    expect(nothing.envelope.error?.message).toMatch(/give at least one restricted_images field/);
  });

  it('changes nothing when the user declines, and a member who is not an owner gets 403', async () => {
    const s = await open({ allowDestructive: true, elicit: 'decline' });
    const before = { ...settings() };
    expectDeclined(
      await s.call('hub_org', {
        action: 'update_settings',
        org_name: 'acme',
        restricted_images: { enabled: false },
      }),
    );
    expect(settings()).toEqual(before);
    const bob = await as('bob', { allowDestructive: true, elicit: 'accept' });
    const refused = await bob.call('hub_org', {
      action: 'update_settings',
      org_name: 'acme',
      restricted_images: { enabled: false },
    });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
    expect(settings()).toEqual(before);
  });
});

describe('hub_org members', () => {
  it.each(['legacy', 'modern'] as const)('lists members a page at a time, filtered (%s era)', async (era) => {
    const s = await open({ era });
    const first = await s.call('hub_org', { action: 'list_members', org_name: 'acme', page_size: 3 });
    const names = ok<Array<{ username: string }>>(first).map((m) => m.username);
    expect(names).toEqual(['alice', 'bob', 'carol']);
    expect(first.envelope.next).toEqual({ page: 2, page_size: 3 });
    expect(first.envelope.total).toBe(7);
    const editors = ok<Array<{ username: string; role: string }>>(
      await s.call('hub_org', { action: 'list_members', org_name: 'acme', role: 'editor' }),
    );
    expect(editors.map((m) => [m.username, m.role])).toEqual([['carol', 'Editor']]);
    const found = ok<Array<{ username: string }>>(
      await s.call('hub_org', { action: 'list_members', org_name: 'acme', search: 'ERI' }),
    );
    expect(found.map((m) => m.username)).toEqual(['erin']);
  });

  it('refuses a stranger and an unknown member type', async () => {
    const s = await as('dave');
    const res = await s.call('hub_org', { action: 'list_members', org_name: 'acme' });
    expect(res.envelope.error).toMatchObject({ http_status: 403 });
    const bad = await s.call('hub_org', { action: 'list_members', org_name: 'acme', type: 'robots' });
    expect(bad.envelope.error?.message).toMatch(/invalid parameter "type"/);
  });

  it('exports the members as CSV text; owners only', async () => {
    const s = await open();
    const data = ok<{ csv: string; rows: number; total_rows: number }>(
      await s.call('hub_org', { action: 'export_members', org_name: 'acme' }),
    );
    expect(data.csv.split('\r\n')[0]).toBe('Name,Username,Email,Type,Role,Teams,Date Joined');
    expect(data.csv).toMatch(/,bob,bob@example\.test,User,Member,devs,/);
    expect(data).toMatchObject({ rows: data.total_rows });
    expect(data.rows).toBeGreaterThanOrEqual(7);
    const bob = await as('bob');
    const refused = await bob.call('hub_org', { action: 'export_members', org_name: 'acme' });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
  });

  it('caps a large export to whole rows that fit a result, and says how many there are', async () => {
    const s = await open({ maxBytes: 3000 });
    const res = await s.call('hub_org', { action: 'export_members', org_name: 'big' });
    const data = ok<{ csv: string; rows: number; total_rows: number }>(res);
    expect(res.envelope.truncated).toBe(true);
    expect(data.total_rows).toBe(61);
    expect(data.rows).toBeGreaterThan(3);
    expect(data.rows).toBeLessThan(61);
    expect(res.envelope.note).toBe(
      `the CSV holds the first ${data.rows} of 61 rows (results are capped at 3000 bytes); list_members pages through them all`,
    );
    const lines = data.csv.split('\r\n');
    expect(lines).toHaveLength(data.rows + 2);
    expect(lines.at(-1)).toBe('');
    expect(lines[1]).toMatch(/^,alice,alice@example\.test,User,Owner,,/);
    expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(3000);
  });

  it('keeps a record whole when a quoted cell holds a line break', async () => {
    const s = await open();
    ok(await s.call('hub_teams', { action: 'create', org_name: 'big', team_name: 'night\nshift' }));
    ok(
      await s.call('hub_teams', {
        action: 'add_member',
        org_name: 'big',
        team_name: 'night\nshift',
        member: 'user05',
      }),
    );
    const data = ok<{ csv: string; rows: number; total_rows: number }>(
      await s.call('hub_org', { action: 'export_members', org_name: 'big' }),
    );
    expect(data).toMatchObject({ rows: 61, total_rows: 61 });
    expect(data.csv).toContain(',user05,user05@example.test,User,Member,"night\nshift",');
  });

  it('changes a role; the last owner cannot be demoted', async () => {
    const s = await open();
    const data = ok(
      await s.call('hub_org', {
        action: 'update_member',
        org_name: 'acme',
        username: 'grace',
        role: 'editor',
      }),
    );
    expect(data).toMatchObject({ username: 'grace', role: 'Editor' });
    expect(role('acme', 'grace')).toBe('editor');
    const last = await s.call('hub_org', {
      action: 'update_member',
      org_name: 'acme',
      username: 'alice',
      role: 'member',
    });
    expect(last.envelope.error).toMatchObject({ http_status: 400 });
    expect(last.envelope.error?.message).toMatch(/last owner/);
    expect(role('acme', 'alice')).toBe('owner');
  });
});

describe('hub_org remove_member (destructive)', () => {
  it('is hidden by default', async () => {
    const s = await open();
    expect(await advertisedActions(s, 'hub_org')).not.toContain('remove_member');
    await expectRefusedWhileOff(s, 'hub_org', {
      action: 'remove_member',
      org_name: 'acme',
      username: 'heidi',
    });
    expect(role('acme', 'heidi')).toBe('member');
  });

  it('removes the member once the user confirms; an unknown member is a 404', async () => {
    const s = await open({ allowDestructive: true, elicit: 'accept' });
    expect(
      ok(await s.call('hub_org', { action: 'remove_member', org_name: 'acme', username: 'frank' })),
    ).toEqual({
      removed: 'frank',
      org_name: 'acme',
    });
    expect(role('acme', 'frank')).toBeUndefined();
    expect(s.asked).toEqual([
      'Remove frank from organization acme, and from all its teams and their repository access? (hub_org.remove_member)',
    ]);
    const ghost = await s.call('hub_org', { action: 'remove_member', org_name: 'acme', username: 'nobody' });
    expect(ghost.envelope.error).toMatchObject({ http_status: 404 });
  });

  it.each(['decline', 'cancel'] as const)('removes nobody when the user answers %s', async (elicit) => {
    const s = await open({ allowDestructive: true, elicit });
    expectDeclined(await s.call('hub_org', { action: 'remove_member', org_name: 'acme', username: 'heidi' }));
    expect(role('acme', 'heidi')).toBe('member');
  });

  it('without elicitation: refused when confirmation is required, run on the host’s approval otherwise', async () => {
    const s = await open({ allowDestructive: true, confirm: 'always' });
    const refused = await s.call('hub_org', { action: 'remove_member', org_name: 'acme', username: 'heidi' });
    expect(refused.envelope.error?.message).toMatch(/cannot ask/);
    expect(role('acme', 'heidi')).toBe('member');
    const t = await open({ allowDestructive: true });
    ok(await t.call('hub_org', { action: 'remove_member', org_name: 'acme', username: 'heidi' }));
    expect(role('acme', 'heidi')).toBeUndefined();
  });
});

describe('hub_org invites', () => {
  it('bulk_invite with dry_run reports without inviting; for real it invites and lists them', async () => {
    const s = await open();
    const dry = ok<{ dry_run: boolean; summary: Record<string, number> }>(
      await s.call('hub_org', {
        action: 'bulk_invite',
        org_name: 'acme',
        invitees: ['dave', 'new@example.test', 'bob'],
        dry_run: true,
      }),
    );
    expect(dry).toMatchObject({ dry_run: true, summary: { invited: 2, existing_org_member: 1 } });
    expect(inviteOf('dave')).toBeUndefined();
    const real = ok<{ summary: Record<string, number>; results: Array<{ invitee: string; status: string }> }>(
      await s.call('hub_org', {
        action: 'bulk_invite',
        org_name: 'acme',
        invitees: ['dave', 'new@example.test', 'late@example.test'],
        role: 'editor',
        team_name: 'devs',
      }),
    );
    expect(real.summary).toEqual({ invited: 3 });
    expect(inviteOf('dave')).toMatchObject({ role: 'editor', team: 'devs' });
    const listed = await s.call('hub_org', { action: 'list_invites', org_name: 'acme' });
    expect(
      ok<Array<{ invitee: string }>>(listed)
        .map((i) => i.invitee)
        .sort(),
    ).toEqual(['dave', 'late@example.test', 'new@example.test']);
    expect(listed.envelope.total).toBe(3);
    expect(listed.envelope.next).toBeUndefined();
    const paged = await s.call('hub_org', { action: 'list_invites', org_name: 'acme', page_size: 2 });
    expect(ok<unknown[]>(paged)).toHaveLength(2);
    expect(paged.envelope.next).toEqual({ page: 2, page_size: 2 });
    const rest = await s.call('hub_org', {
      action: 'list_invites',
      org_name: 'acme',
      ...paged.envelope.next,
    });
    expect(ok<unknown[]>(rest)).toHaveLength(1);
    expect(rest.envelope.next).toBeUndefined();
  });

  it('refuses a malformed invitee before sending, an unknown team with 400, a member listing invites with 403', async () => {
    const s = await open();
    const malformed = await s.call('hub_org', {
      action: 'bulk_invite',
      org_name: 'acme',
      invitees: ['not valid!'],
    });
    expect(malformed.envelope.error?.message).toMatch(/neither a Docker ID nor an email address/);
    expect(malformed.envelope.error?.hint).toMatch(/nothing was sent/);
    const team = await s.call('hub_org', {
      action: 'bulk_invite',
      org_name: 'acme',
      invitees: ['someone@example.test'],
      team_name: 'ghosts',
    });
    expect(team.envelope.error).toMatchObject({ http_status: 400 });
    const bob = await as('bob');
    const refused = await bob.call('hub_org', { action: 'list_invites', org_name: 'acme' });
    expect(refused.envelope.error).toMatchObject({ http_status: 403 });
  });

  it('resends an invite; an unknown invite is a 404', async () => {
    const s = await open();
    ok(
      await s.call('hub_org', { action: 'bulk_invite', org_name: 'acme', invitees: ['resend@example.test'] }),
    );
    const id = inviteOf('resend@example.test')?.id as string;
    expect(ok(await s.call('hub_org', { action: 'resend_invite', id }))).toEqual({ resent: id });
    expect(inviteOf('resend@example.test')?.resent).toBe(1);
    const unknown = await s.call('hub_org', { action: 'resend_invite', id: 'no-such-invite' });
    expect(unknown.envelope.error).toMatchObject({ http_status: 404 });
  });

  it('delete_invite is hidden by default, cancels once confirmed and keeps the invite when declined', async () => {
    const s = await open();
    ok(
      await s.call('hub_org', { action: 'bulk_invite', org_name: 'acme', invitees: ['cancel@example.test'] }),
    );
    const id = inviteOf('cancel@example.test')?.id as string;
    expect(await advertisedActions(s, 'hub_org')).not.toContain('delete_invite');
    await expectRefusedWhileOff(s, 'hub_org', { action: 'delete_invite', id });
    const declining = await open({ allowDestructive: true, elicit: 'untick' });
    expectDeclined(await declining.call('hub_org', { action: 'delete_invite', id }));
    expect(inviteOf('cancel@example.test')).toBeDefined();
    const accepting = await open({ era: 'modern', allowDestructive: true, elicit: 'accept' });
    expect(ok(await accepting.call('hub_org', { action: 'delete_invite', id }))).toEqual({ cancelled: id });
    expect(inviteOf('cancel@example.test')).toBeUndefined();
    expect(accepting.asked).toEqual([
      `Cancel the invite ${id}? The invitee can no longer accept it. (hub_org.delete_invite)`,
    ]);
    const again = await accepting.call('hub_org', { action: 'delete_invite', id });
    expect(again.envelope.error).toMatchObject({ http_status: 404 });
  });
});

describe('hub_org list_orgs', () => {
  it("lists the server account's organizations with its role; bad credentials are a 401", async () => {
    const s = await open();
    const orgs = ok<Array<{ orgname: string; user_role: string }>>(
      await s.call('hub_org', { action: 'list_orgs' }),
    );
    expect(orgs.map((o) => [o.orgname, o.user_role])).toEqual([
      ['acme', 'owner'],
      ['big', 'owner'],
    ]);
    const t = await open({ user: { username: 'alice', password: 'not-the-password' } });
    const refused = await t.call('hub_org', { action: 'list_orgs' });
    expect(refused.envelope.error).toMatchObject({ http_status: 401 });
    expect(refused.envelope.error?.hint).toMatch(/server's environment/);
  });
});
