/** Teams (Docker's "groups"), team permissions on repositories and immutable tags, against the emulator. */
import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  DestructiveOperationBlockedError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/core/errors.js';
import { assertImmutableTagRule, type RepositoryPermission } from '../../src/hub/index.js';
import { orgTestbed } from './orgs-fixture.js';

const testbed = orgTestbed();
const as = testbed.as;

describe('teams', () => {
  it('owners create, rename (PUT and PATCH) and delete teams; members list and read them', async () => {
    const qa = await as('alice').orgs.teams.create('acme', 'qa');
    expect(qa).toMatchObject({ name: 'qa', member_count: 0 });
    expect(typeof qa.id).toBe('number');
    expect((await as('bob').orgs.teams.list('acme').toArray()).map((t) => t.name)).toEqual(['devs', 'qa']);
    expect((await as('bob').orgs.teams.list('acme', { search: 'D' }).toArray()).map((t) => t.name)).toEqual([
      'devs',
    ]);
    expect(
      (await as('alice').orgs.teams.list('acme', { username: 'bob' }).toArray()).map((t) => t.name),
    ).toEqual(['devs']);
    expect(await as('bob').orgs.teams.get('acme', 'devs')).toMatchObject({ name: 'devs', member_count: 1 });

    expect((await as('alice').orgs.teams.replace('acme', 'qa', { name: 'testers' })).name).toBe('testers');
    expect((await as('alice').orgs.teams.update('acme', 'testers', { name: 'quality' })).id).toBe(qa.id);
    await expect(as('alice').orgs.teams.get('acme', 'qa')).rejects.toBeInstanceOf(NotFoundError);

    await expect(as('alice').orgs.teams.delete('acme', 'quality')).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    await as('alice', true).orgs.teams.delete('acme', 'quality');
    expect((await as('alice').orgs.teams.list('acme').toArray()).map((t) => t.name)).toEqual(['devs']);
    expect(
      testbed
        .emu()
        .state.audit.filter((a) => a.action.startsWith('team.'))
        .map((a) => a.action),
    ).toEqual(['team.create', 'team.update', 'team.update', 'team.delete']);
  });

  it('keeps a description: set on create, changed by PATCH only when given, cleared by a PUT without one', async () => {
    const docs = await as('alice').orgs.teams.create('acme', 'docs', { description: 'Writes the manuals' });
    expect(docs).toMatchObject({ name: 'docs', description: 'Writes the manuals' });
    expect(await as('alice').orgs.teams.update('acme', 'docs', { name: 'writers' })).toMatchObject({
      name: 'writers',
      description: 'Writes the manuals',
    });
    expect(
      await as('alice').orgs.teams.update('acme', 'writers', { description: 'Docs and release notes' }),
    ).toMatchObject({ name: 'writers', description: 'Docs and release notes' });
    expect(await as('alice').orgs.teams.replace('acme', 'writers', { name: 'docs' })).toMatchObject({
      name: 'docs',
      description: '',
    });
    expect(await as('bob').orgs.teams.get('acme', 'docs')).toMatchObject({ description: '' });
    await as('alice', true).orgs.teams.delete('acme', 'docs');
  });

  it('refuses members, duplicates and bad names', async () => {
    await expect(as('bob').orgs.teams.create('acme', 'mine')).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(as('alice').orgs.teams.create('acme', 'devs')).rejects.toThrow(
      /team acme\/devs already exists/,
    );
    expect(() => as('alice').orgs.teams.create('acme', 'a/b')).toThrow(ValidationError);
    await as('alice').orgs.teams.create('acme', 'ops');
    await expect(as('alice').orgs.teams.update('acme', 'ops', { name: 'devs' })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(as('bob', true).orgs.teams.delete('acme', 'ops')).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(as('dave').orgs.teams.list('acme').toArray()).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it('adds org members to a team, lists and removes them', async () => {
    await as('alice').orgs.teams.members.add('acme', 'ops', 'carol');
    await as('alice').orgs.teams.members.add('acme', 'ops', 'erin@example.test');
    const seenByOwner = await as('alice').orgs.teams.members.list('acme', 'ops').toArray();
    expect(seenByOwner.map((m) => [m.username, m.email])).toEqual([
      ['carol', 'carol@example.test'],
      ['erin', 'erin@example.test'],
    ]);
    const seenByBob = await as('bob').orgs.teams.members.list('acme', 'ops', { search: 'er' }).toArray();
    expect(seenByBob.map((m) => [m.username, m.email])).toEqual([['erin', undefined]]);
    await expect(as('alice').orgs.teams.members.add('acme', 'ops', 'dave')).rejects.toThrow(
      /member dave of acme not found/,
    );
    await expect(as('bob').orgs.teams.members.add('acme', 'ops', 'bob')).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(as('alice').orgs.teams.members.remove('acme', 'ops', 'erin')).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    await as('alice', true).orgs.teams.members.remove('acme', 'ops', 'erin');
    expect((await as('alice').orgs.teams.get('acme', 'ops')).member_count).toBe(1);
    await expect(as('alice', true).orgs.teams.members.remove('acme', 'ops', 'erin')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(
      testbed
        .emu()
        .state.audit.slice(-3)
        .map((a) => [a.action, a.data.username]),
    ).toEqual([
      ['team.member.add', 'carol'],
      ['team.member.add', 'erin'],
      ['team.member.remove', 'erin'],
    ]);
  });
});

describe('team permissions on repositories', () => {
  it('owners and editors grant a team access by id', async () => {
    const devs = await as('alice').orgs.teams.get('acme', 'devs');
    const grant = await as('carol').repositories.permissions.grantTeam('acme', 'app', devs.id, 'write');
    expect(grant).toEqual({ group_name: 'devs', permission: 'write', group_id: devs.id });
    expect(testbed.emu().state.repositories.get('acme/app')?.team_permissions?.get(devs.id)).toBe('write');
    expect(testbed.emu().state.audit.at(-1)).toMatchObject({
      action: 'repo.team.grant',
      actor: 'carol',
      data: { repository: 'acme/app', team: 'devs', permission: 'write' },
    });
  });

  it('refuses members, unknown teams, user namespaces and bad permissions', async () => {
    await expect(
      as('bob').repositories.permissions.grantTeam('acme', 'app', 1, 'read'),
    ).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(
      as('alice').repositories.permissions.grantTeam('acme', 'app', 999, 'read'),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(as('dave').repositories.permissions.grantTeam('dave', 'own', 1, 'read')).rejects.toThrow(
      /dave is not an organization/,
    );
    expect(() =>
      as('alice').repositories.permissions.grantTeam('acme', 'app', 1, 'owner' as RepositoryPermission),
    ).toThrow('unknown permission "owner"; valid: read, write, admin');
    expect(() => as('alice').repositories.permissions.grantTeam('acme', 'app', 1.5, 'read')).toThrow(
      ValidationError,
    );
  });
});

describe('immutable tags', () => {
  it('enables rules; verify lists the tags a rule matches; immutable tags cannot be deleted', async () => {
    const repo = await as('alice').repositories.immutableTags.update('acme', 'app', {
      immutable_tags: true,
      immutable_tags_rules: ['v1\\..*'],
    });
    expect(repo.immutable_tags_settings).toEqual({ enabled: true, rules: ['v1\\..*'] });
    expect((await as('bob').repositories.get('acme', 'app')).immutable_tags_settings).toEqual({
      enabled: true,
      rules: ['v1\\..*'],
    });
    expect(await as('alice').repositories.immutableTags.verify('acme', 'app', 'v1\\..*')).toEqual([
      'v1.0',
      'v1.1',
    ]);
    // Docker's own example rule, which the published spec's pattern would refuse.
    expect(await as('alice').repositories.immutableTags.verify('acme', 'app', 'v.*')).toEqual([
      'v1.0',
      'v1.1',
    ]);
    expect(testbed.emu().state.audit.at(-1)).toMatchObject({
      action: 'repo.immutable_tags.update',
      data: { repository: 'acme/app', enabled: true, rules: ['v1\\..*'] },
    });

    const deleter = as('alice', true);
    await expect(deleter.tags.delete('acme', 'app', 'v1.0')).rejects.toThrow(/tag v1.0 is immutable/);
    await deleter.tags.delete('acme', 'app', 'dev');
    expect([...(testbed.emu().state.repositories.get('acme/app')?.tags.keys() ?? [])].sort()).toEqual([
      'latest',
      'v1.0',
      'v1.1',
    ]);
  });

  it('enabled without rules protects every tag; disabled protects none', async () => {
    await as('carol').repositories.immutableTags.update('acme', 'app', {
      immutable_tags: true,
      immutable_tags_rules: [],
    });
    expect(testbed.emu().state.isImmutableTag('acme', 'app', 'latest')).toBe(true);
    await as('carol').repositories.immutableTags.update('acme', 'app', {
      immutable_tags: false,
      immutable_tags_rules: ['.*'],
    });
    expect(testbed.emu().state.isImmutableTag('acme', 'app', 'latest')).toBe(false);
  });

  it('only repository admins: owners, editors, or members of a team granted admin', async () => {
    const settings = { immutable_tags: true, immutable_tags_rules: ['v.*'] };
    await expect(as('bob').repositories.immutableTags.update('acme', 'app', settings)).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    await expect(as('bob').repositories.immutableTags.verify('acme', 'app', 'v.*')).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    const devs = await as('alice').orgs.teams.get('acme', 'devs');
    await as('alice').repositories.permissions.grantTeam('acme', 'app', devs.id, 'admin');
    expect(
      (await as('bob').repositories.immutableTags.update('acme', 'app', settings)).immutable_tags_settings,
    ).toEqual({
      enabled: true,
      rules: ['v.*'],
    });
    // Deleting the team takes its permissions with it.
    await as('alice').orgs.teams.create('acme', 'tmp');
    const tmp = await as('alice').orgs.teams.get('acme', 'tmp');
    await as('alice').repositories.permissions.grantTeam('acme', 'app', tmp.id, 'read');
    await as('alice', true).orgs.teams.delete('acme', 'tmp');
    expect(testbed.emu().state.repositories.get('acme/app')?.team_permissions?.has(tmp.id)).toBe(false);
    // A user's own repository.
    expect(await as('dave').repositories.immutableTags.verify('dave', 'own', 'v[0-9]+')).toEqual(['v1']);
    expect(
      await as('dave').repositories.immutableTags.verify('dave', 'own', '(?i)(?P<major>V[0-9]+)'),
    ).toEqual(['v1']);
    await expect(as('alice').repositories.immutableTags.verify('acme', 'nope', 'v.*')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('checks rules locally as RE2 reads them, before sending', async () => {
    const before = testbed.emu().state.audit.length;
    expect(() =>
      as('alice').repositories.immutableTags.update('acme', 'app', {
        immutable_tags: true,
        immutable_tags_rules: ['v(?!beta).*'],
      }),
    ).toThrow(`rule "v(?!beta).*" uses lookaround, which Docker Hub's regular expressions (RE2) lack`);
    await expect(as('alice').repositories.immutableTags.verify('acme', 'app', '(a)\\1')).rejects.toThrow(
      /backreferences/,
    );
    await expect(as('alice').repositories.immutableTags.verify('acme', 'app', 'v[1')).rejects.toThrow(
      /rule "v\[1" is not a valid regular expression/,
    );
    expect(() =>
      as('alice').repositories.immutableTags.update('acme', 'app', {
        immutable_tags: 'yes' as unknown as boolean,
        immutable_tags_rules: [],
      }),
    ).toThrow('immutable_tags must be true or false');
    expect(() => assertImmutableTagRule('')).toThrow('an immutable tag rule cannot be empty');
    // RE2 spellings JavaScript lacks are still accepted.
    expect(() => assertImmutableTagRule('(?i)(?P<major>v[0-9]+)\\..*')).not.toThrow();
    expect(testbed.emu().state.audit.length).toBe(before);
  });
});
