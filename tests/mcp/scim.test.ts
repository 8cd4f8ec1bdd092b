/**
 * hub_scim through a real MCP client against the emulator, with the server's own SCIM token (never a tool
 * argument, never in a result or log): discovery, users paged SCIM's way, provisioning, and deactivation,
 * which removes a member and so is refused unless destructive actions are on, then confirmed by the user.
 */
import { describe, expect, it } from 'vitest';
import { emulatorFor, SENTINEL, sessionsFor } from './harness.js';
import { advertisedActions, expectDeclined, expectRefusedWhileOff, ok } from './tool-helpers.js';

const SCIM_TOKEN = 'scim-TOKEN-0123456789-never-shown';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

const seed = {
  users: [
    { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
    { username: 'carol', password: 'carol-pw', email: 'carol@example.test' },
    { username: 'dave', password: 'dave-pw', email: 'dave@example.test' },
    { username: 'erin', password: 'erin-pw', email: 'erin@example.test' },
  ],
  orgs: [{ name: 'acme', members: [{ username: 'alice', role: 'owner' as const }, 'carol', 'dave', 'erin'] }],
  scim: { org: 'acme', token: SCIM_TOKEN },
};

const emu = emulatorFor(seed);
const open = sessionsFor(emu, { defaults: { scimToken: SCIM_TOKEN }, secrets: [SCIM_TOKEN] });

interface ScimUser {
  id: string;
  userName: string;
  displayName: string;
  active: boolean;
  name: { givenName: string; familyName: string };
}

const uuidOf = (username: string) => emu().state.users.get(username)?.uuid as string;
const isMember = (username: string) => emu().state.orgs.get('acme')?.members.has(username);

describe('hub_scim discovery', () => {
  it('serves the provider config, resource types and schemas; unknown ones are 404s', async () => {
    const s = await open({ era: 'modern' });
    expect(ok(await s.call('hub_scim', { action: 'service_provider_config' }))).toMatchObject({
      filter: { supported: true },
      patch: { supported: false },
    });
    const types = await s.call('hub_scim', { action: 'resource_types' });
    expect(ok<Array<{ id: string }>>(types).map((t) => t.id)).toEqual(['User']);
    expect(types.envelope.total).toBe(1);
    expect(ok(await s.call('hub_scim', { action: 'resource_type', name: 'User' }))).toMatchObject({
      endpoint: '/Users',
      schema: USER_SCHEMA,
    });
    const group = await s.call('hub_scim', { action: 'resource_type', name: 'Group' });
    expect(group.envelope.error).toMatchObject({ http_status: 404 });
    expect(
      ok<Array<{ id: string }>>(await s.call('hub_scim', { action: 'schemas' })).map((x) => x.id),
    ).toEqual([USER_SCHEMA]);
    const schema = ok<{ attributes: Array<{ name: string }> }>(
      await s.call('hub_scim', { action: 'schema', id: USER_SCHEMA }),
    );
    expect(schema.attributes.map((a) => a.name)).toContain('userName');
    const nope = await s.call('hub_scim', { action: 'schema', id: 'urn:nope' });
    expect(nope.envelope.error).toMatchObject({ http_status: 404 });
  });

  it('says the operator must set DOCKERHUB_SCIM_TOKEN when the server has none', async () => {
    const s = await open({ scimToken: undefined });
    const res = await s.call('hub_scim', { action: 'service_provider_config' });
    expect(res.isError).toBe(true);
    expect(res.envelope.error?.message).toMatch(/no SCIM token given/);
    expect(res.envelope.error?.hint).toMatch(/operator sets DOCKERHUB_SCIM_TOKEN/);
  });

  it("answers a wrong SCIM token with 401 and a hint about the server's token", async () => {
    const s = await open({ scimToken: 'scim-not-the-right-token' });
    for (const action of ['resource_types', 'schemas', 'list_users']) {
      const res = await s.call('hub_scim', { action });
      expect(res.envelope.error).toMatchObject({ http_status: 401 });
      expect(res.envelope.error?.hint).toMatch(/refused the server's SCIM token/);
    }
  });
});

describe('hub_scim users', () => {
  it.each(['legacy', 'modern'] as const)(
    'pages users by startIndex and count, and filters (%s era)',
    async (era) => {
      const s = await open({ era });
      const first = await s.call('hub_scim', { action: 'list_users', count: 2 });
      expect(ok<ScimUser[]>(first).map((u) => u.userName)).toEqual([
        'alice@example.test',
        'carol@example.test',
      ]);
      expect(first.envelope.next).toEqual({ startIndex: 3, count: 2 });
      expect(first.envelope.total).toBeGreaterThanOrEqual(4);
      const found = ok<ScimUser[]>(
        await s.call('hub_scim', { action: 'list_users', filter: 'userName eq "dave@example.test"' }),
      );
      expect(found.map((u) => u.displayName)).toEqual(['dave']);
      const sorted = ok<ScimUser[]>(
        await s.call('hub_scim', {
          action: 'list_users',
          sortBy: 'userName',
          sortOrder: 'descending',
          count: 1,
        }),
      );
      expect(sorted.map((u) => u.userName)).toEqual(['erin@example.test']);
    },
  );

  it('answers an unsupported filter with 400, and a count over 100 before sending', async () => {
    const s = await open();
    const bad = await s.call('hub_scim', { action: 'list_users', filter: 'userName gt 3' });
    expect(bad.envelope.error).toMatchObject({ http_status: 400 });
    const big = await s.call('hub_scim', { action: 'list_users', count: 500 });
    expect(big.envelope.error?.message).toMatch(/invalid parameter "count"/);
  });

  it('gets a user by id; an unknown id is a 404', async () => {
    const s = await open();
    expect(ok(await s.call('hub_scim', { action: 'get_user', id: uuidOf('carol') }))).toMatchObject({
      userName: 'carol@example.test',
      displayName: 'carol',
      active: true,
    });
    const unknown = await s.call('hub_scim', { action: 'get_user', id: 'no-such-user' });
    expect(unknown.envelope.error).toMatchObject({ http_status: 404 });
  });

  it('provisions a user by email; a second time conflicts, a non-email is refused before sending', async () => {
    const s = await open();
    const created = ok<ScimUser>(
      await s.call('hub_scim', {
        action: 'create_user',
        userName: 'newbie@example.test',
        givenName: 'New',
        familyName: 'Bie',
        displayName: 'newbie',
      }),
    );
    expect(created).toMatchObject({ userName: 'newbie@example.test', displayName: 'newbie', active: true });
    expect(created.name).toEqual({ givenName: 'New', familyName: 'Bie' });
    expect(isMember('newbie')).toBe(true);
    const again = await s.call('hub_scim', { action: 'create_user', userName: 'newbie@example.test' });
    expect(again.envelope.error).toMatchObject({ http_status: 409 });
    const notEmail = await s.call('hub_scim', { action: 'create_user', userName: 'newbie' });
    expect(notEmail.envelope.error?.message).toMatch(/userName must be an email address/);
    expect(notEmail.envelope.error?.hint).toMatch(/nothing was sent/);
  });

  it('updates an active user’s name and email; active is required', async () => {
    const s = await open();
    const updated = ok<ScimUser>(
      await s.call('hub_scim', {
        action: 'update_user',
        id: uuidOf('erin'),
        active: true,
        givenName: 'Erin',
        emails: [{ value: 'erin@new.example.test', primary: true }],
      }),
    );
    expect(updated).toMatchObject({
      active: true,
      userName: 'erin@new.example.test',
      name: { givenName: 'Erin' },
    });
    expect(isMember('erin')).toBe(true);
    const noActive = await s.call('hub_scim', { action: 'update_user', id: uuidOf('erin'), givenName: 'E' });
    expect(noActive.envelope.error?.message).toMatch(/missing parameter "active"/);
    const taken = await s.call('hub_scim', {
      action: 'update_user',
      id: uuidOf('erin'),
      active: true,
      emails: [{ value: 'carol@example.test', primary: true }],
    });
    expect(taken.envelope.error).toMatchObject({ http_status: 409 });
  });
});

describe('hub_scim deactivation (update_user with active=false)', () => {
  it('is refused while destructive actions are off, though update_user itself is listed', async () => {
    const s = await open();
    expect(await advertisedActions(s, 'hub_scim')).toContain('update_user');
    await expectRefusedWhileOff(s, 'hub_scim', { action: 'update_user', id: uuidOf('dave'), active: false });
    expect(isMember('dave')).toBe(true);
  });

  it('is hidden with every other write in read-only mode', async () => {
    const s = await open({ filter: { readOnly: true } });
    const actions = await advertisedActions(s, 'hub_scim');
    expect(actions).not.toContain('update_user');
    expect(actions).not.toContain('create_user');
    expect(actions).toContain('list_users');
  });

  it.each(['legacy', 'modern'] as const)(
    'deactivates once the user confirms, and reactivates (%s era)',
    async (era) => {
      const s = await open({ era, allowDestructive: true, elicit: 'accept' });
      const id = uuidOf('dave');
      expect(ok(await s.call('hub_scim', { action: 'update_user', id, active: false }))).toMatchObject({
        active: false,
      });
      expect(isMember('dave')).toBe(false);
      expect(s.asked).toEqual([
        `Deactivate the SCIM user ${id}? They are removed from the organization and its teams. (hub_scim.update_user)`,
      ]);
      // Reactivating is a plain write: no question.
      expect(ok(await s.call('hub_scim', { action: 'update_user', id, active: true }))).toMatchObject({
        active: true,
      });
      expect(isMember('dave')).toBe(true);
      expect(s.asked).toHaveLength(1);
    },
  );

  it.each(['decline', 'cancel', 'untick'] as const)(
    'deactivates nobody when the user answers %s',
    async (elicit) => {
      const s = await open({ allowDestructive: true, elicit });
      expectDeclined(await s.call('hub_scim', { action: 'update_user', id: uuidOf('carol'), active: false }));
      expect(isMember('carol')).toBe(true);
    },
  );

  it('without elicitation: refused when confirmation is required, run on the host’s approval otherwise', async () => {
    const s = await open({ allowDestructive: true, confirm: 'always' });
    const refused = await s.call('hub_scim', { action: 'update_user', id: uuidOf('carol'), active: false });
    expect(refused.envelope.error?.message).toMatch(/cannot ask/);
    expect(isMember('carol')).toBe(true);
    const t = await open({ allowDestructive: true });
    ok(await t.call('hub_scim', { action: 'update_user', id: uuidOf('carol'), active: false }));
    expect(isMember('carol')).toBe(false);
  });
});
