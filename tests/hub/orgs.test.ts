/** Organization settings, members and invites: the SDK against the emulator (requests checked by Docker's spec). */
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  DestructiveOperationBlockedError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/core/errors.js';
import type { OrgRole } from '../../src/hub/index.js';
import { orgTestbed } from './orgs-fixture.js';

const testbed = orgTestbed();
const as = testbed.as;
const actions = () => testbed.emu().state.audit.map((a) => a.action);

describe('org settings', () => {
  it('members read them; a partial change by an owner is merged into the current settings', async () => {
    expect(await as('bob').orgs.settings.get('acme')).toEqual({
      restricted_images: { enabled: false, allow_official_images: true, allow_verified_publishers: true },
    });
    const updated = await as('alice', true).orgs.settings.update('acme', {
      restricted_images: { enabled: true, allow_verified_publishers: false },
    });
    expect(updated.restricted_images).toEqual({
      enabled: true,
      allow_official_images: true,
      allow_verified_publishers: false,
    });
    expect(testbed.emu().state.audit.at(-1)).toMatchObject({
      action: 'org.settings.update',
      actor: 'alice',
      data: { org: 'acme', restricted_images: { enabled: true } },
    });
  });

  it('is gated as destructive, refused to non-owners, and checked before sending', async () => {
    const before = testbed.emu().state.audit.length;
    await expect(
      as('alice').orgs.settings.update('acme', { restricted_images: { enabled: false } }),
    ).rejects.toBeInstanceOf(DestructiveOperationBlockedError);
    await expect(
      as('bob', true).orgs.settings.update('acme', {
        restricted_images: { enabled: false, allow_official_images: true, allow_verified_publishers: true },
      }),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(as('alice', true).orgs.settings.update('acme', { restricted_images: {} })).rejects.toThrow(
      'nothing to change: give at least one setting',
    );
    await expect(
      as('alice', true).orgs.settings.update('acme', {
        restricted_images: { enabled: 'yes' as unknown as boolean },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(as('dave').orgs.settings.get('acme')).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(as('alice').orgs.settings.get('nope')).rejects.toBeInstanceOf(NotFoundError);
    expect(testbed.emu().state.audit.length).toBe(before);
  });
});

describe('org members', () => {
  it('lists members page by page with roles and teams; emails only for owners', async () => {
    const list = as('alice').orgs.members.list('acme', { page_size: 2 });
    const pages = [];
    for await (const page of list.pages()) pages.push(page.items.map((m) => m.username));
    expect(pages).toEqual([
      ['alice', 'bob'],
      ['carol', 'erin'],
    ]);
    const all = await as('alice').orgs.members.list('acme').toArray();
    expect(all.find((m) => m.username === 'bob')).toMatchObject({
      role: 'Member',
      groups: ['devs'],
      email: 'bob@example.test',
    });
    expect(all.find((m) => m.username === 'carol')?.role).toBe('Editor');
    const seenByBob = await as('bob').orgs.members.list('acme').toArray();
    expect(seenByBob.map((m) => m.username)).toEqual(['alice', 'bob', 'carol', 'erin']);
    expect(seenByBob.some((m) => 'email' in m)).toBe(false);
  });

  it('filters by role and by search text (emails searchable by owners)', async () => {
    const editors = await as('alice').orgs.members.list('acme', { role: 'editor' }).toArray();
    expect(editors.map((m) => m.username)).toEqual(['carol']);
    const byName = await as('bob').orgs.members.list('acme', { search: 'ER' }).toArray();
    expect(byName.map((m) => m.username)).toEqual(['erin']);
    expect((await as('alice').orgs.members.list('acme', { search: 'bob@' }).toArray()).length).toBe(1);
    expect((await as('bob').orgs.members.list('acme', { search: 'bob@' }).toArray()).length).toBe(0);
  });

  it('rejects unknown filters before sending', () => {
    expect(() => as('alice').orgs.members.list('acme', { role: 'admin' as OrgRole })).toThrow(
      'unknown role "admin"; valid: owner, editor, member',
    );
    expect(() => as('alice').orgs.members.list('acme', { type: 'guests' as 'all' })).toThrow(
      /unknown member type "guests"/,
    );
    expect(() => as('alice').orgs.members.list('acme', { page_size: 0 })).toThrow(ValidationError);
    expect(() => as('alice').orgs.members.list('', {})).toThrow(ValidationError);
  });

  it('exports CSV for owners, as text or as a stream', async () => {
    const csv = await as('alice').orgs.members.export('acme');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Name,Username,Email,Type,Role,Teams,Date Joined');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 6))).toEqual([
      ['alice', 'alice@example.test', 'User', 'Owner', ''],
      ['bob', 'bob@example.test', 'User', 'Member', 'devs'],
      ['carol', 'carol@example.test', 'User', 'Editor', ''],
      ['erin', 'erin@example.test', 'User', 'Member', ''],
    ]);
    const stream = await as('alice').orgs.members.exportStream('acme');
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    expect(text).toBe(csv);
    await expect(as('bob').orgs.members.export('acme')).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('owners change roles; the last owner cannot step down', async () => {
    const bob = await as('alice').orgs.members.updateRole('acme', 'bob', 'editor');
    expect(bob).toMatchObject({ username: 'bob', role: 'Editor' });
    expect(testbed.emu().state.audit.at(-1)).toMatchObject({
      action: 'org.member.update',
      data: { org: 'acme', username: 'bob', role: 'editor', previous: 'member' },
    });
    await expect(as('alice').orgs.members.updateRole('acme', 'alice', 'member')).rejects.toThrow(
      /alice is the last owner of acme/,
    );
    await expect(as('carol').orgs.members.updateRole('acme', 'bob', 'member')).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(as('alice').orgs.members.updateRole('acme', 'dave', 'member')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(() => as('alice').orgs.members.updateRole('acme', 'bob', 'boss' as OrgRole)).toThrow(
      ValidationError,
    );
    await as('alice').orgs.members.updateRole('acme', 'bob', 'member');
  });

  it('removes a member from the org and its teams, only when destructive operations are allowed', async () => {
    await expect(as('alice').orgs.members.remove('acme', 'erin')).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    testbed.emu().state.orgAdmin.teamsOf('acme').get('devs')?.members.add('erin');
    await as('alice', true).orgs.members.remove('acme', 'erin');
    expect(testbed.emu().state.orgs.get('acme')?.members.has('erin')).toBe(false);
    expect(testbed.emu().state.orgAdmin.teamsOf('acme').get('devs')?.members.has('erin')).toBe(false);
    expect(actions().at(-1)).toBe('org.member.remove');
    await expect(as('alice', true).orgs.members.remove('acme', 'erin')).rejects.toBeInstanceOf(NotFoundError);
    await expect(as('alice', true).orgs.members.remove('acme', 'alice')).rejects.toBeInstanceOf(
      BadRequestError,
    );
    // Back for the other tests.
    testbed.emu().state.orgAdmin.setMember('acme', 'erin', 'member');
  });

  it('members added elsewhere without a role (e.g. by SCIM) are plain members', async () => {
    testbed.emu().state.orgs.get('acme')?.members.add('frank');
    const frank = (await as('alice').orgs.members.list('acme', { search: 'frank' }).toArray())[0];
    expect(frank).toMatchObject({ username: 'frank', role: 'Member', groups: [] });
    testbed.emu().state.orgs.get('acme')?.members.delete('frank');
  });
});

describe('invites', () => {
  it('a dry run reports each invitee and invites nobody', async () => {
    const before = testbed.emu().state.audit.length;
    const results = await as('alice').orgs.invites.bulk({
      org: 'acme',
      role: 'member',
      invitees: ['dave', 'bob', 'new@example.test', 'ghost'],
      dry_run: true,
    });
    expect(results).toEqual([
      { invitee: 'dave', status: 'invited' },
      { invitee: 'bob', status: 'existing_org_member' },
      { invitee: 'new@example.test', status: 'invited' },
      { invitee: 'ghost', status: 'invalid_email_or_docker_id' },
    ]);
    expect(testbed.emu().state.orgAdmin.invites.size).toBe(0);
    expect(testbed.emu().state.audit.length).toBe(before);
  });

  it('invites by Docker ID and email into a team; owners list, resend and cancel them', async () => {
    const results = await as('alice').orgs.invites.bulk({
      org: 'acme',
      team: 'devs',
      role: 'member',
      invitees: ['dave', 'new@example.test'],
    });
    expect(results.map((r) => [r.invitee, r.status, r.invite?.team])).toEqual([
      ['dave', 'invited', 'devs'],
      ['new@example.test', 'invited', 'devs'],
    ]);
    const pending = await as('alice').orgs.invites.list('acme');
    expect(pending.map((i) => [i.invitee, i.inviter_username, i.org])).toEqual([
      ['dave', 'alice', 'acme'],
      ['new@example.test', 'alice', 'acme'],
    ]);
    // Inviting again returns the pending invite rather than a second one.
    const again = await as('alice').orgs.invites.bulk({ org: 'acme', invitees: ['dave'] });
    expect(again[0]?.invite?.id).toBe(pending[0]?.id);
    expect(testbed.emu().state.orgAdmin.invites.size).toBe(2);

    const invitees = await as('alice').orgs.members.list('acme', { type: 'invitee' }).toArray();
    expect(invitees.map((m) => [m.username || m.email, m.role])).toEqual([
      ['dave', 'Invitee'],
      ['new@example.test', 'Invitee'],
    ]);
    const withInvites = await as('alice').orgs.members.list('acme', { invites: true }).toArray();
    expect(withInvites.length).toBe(6);
    expect((await as('bob').orgs.members.list('acme', { type: 'all' }).toArray()).length).toBe(4);

    const id = pending[0]?.id as string;
    await as('alice').orgs.invites.resend(id);
    expect(testbed.emu().state.audit.at(-1)).toMatchObject({
      action: 'invite.resend',
      data: { id, invitee: 'dave' },
    });
    await expect(as('alice').orgs.invites.cancel(id)).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    await expect(as('bob', true).orgs.invites.cancel(id)).rejects.toBeInstanceOf(PermissionDeniedError);
    await as('alice', true).orgs.invites.cancel(id);
    expect((await as('alice').orgs.invites.list('acme')).map((i) => i.invitee)).toEqual(['new@example.test']);
    await expect(as('alice', true).orgs.invites.cancel(id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(as('alice').orgs.invites.resend(id)).rejects.toBeInstanceOf(NotFoundError);
    expect(actions().filter((a) => a.startsWith('invite.'))).toEqual([
      'invite.create',
      'invite.create',
      'invite.resend',
      'invite.cancel',
    ]);
  });

  it('refuses non-owners, unknown teams and bad invitees', async () => {
    await expect(as('bob').orgs.invites.list('acme')).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(as('bob').orgs.invites.bulk({ org: 'acme', invitees: ['dave'] })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(
      as('alice').orgs.invites.bulk({ org: 'acme', team: 'nope', invitees: ['dave'] }),
    ).rejects.toThrow(/team nope does not exist in acme/);
    await expect(as('alice').orgs.invites.bulk({ org: 'acme', invitees: [] })).rejects.toThrow(
      'give at least one invitee (Docker ID or email)',
    );
    await expect(as('alice').orgs.invites.bulk({ org: 'acme', invitees: ['not valid!'] })).rejects.toThrow(
      '"not valid!" is neither a Docker ID nor an email address',
    );
    await expect(
      as('alice').orgs.invites.bulk({ org: 'acme', role: 'admin' as OrgRole, invitees: ['dave'] }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
