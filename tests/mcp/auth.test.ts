/**
 * hub_auth through a real MCP client against the emulator: the login actions (credentials as secret
 * arguments, never echoed or logged), personal and organization access tokens (a new token shown once, in
 * its create result, and nowhere else), destructive deletes hidden, then confirmed by the user.
 */
import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../../src/hub/index.js';
import { emulatorFor, type McpSession, SENTINEL, sessionsFor } from './harness.js';
import {
  advertisedActions,
  annotationsOf,
  expectDeclined,
  expectRefusedWhileOff,
  occurrences,
  ok,
} from './tool-helpers.js';

const WRONG = 'WRONG-pa55word-never-echoed';
const TWO_FACTOR_CODE = '246810';

const seed = {
  users: [
    { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
    { username: 'bob', password: 'bob-secret-pw', twoFactorCode: TWO_FACTOR_CODE },
    { username: 'dave', password: 'dave-secret-pw' },
  ],
  orgs: [{ name: 'acme', members: [{ username: 'alice', role: 'owner' as const }, 'bob'] }],
};

const emu = emulatorFor(seed);
const open = sessionsFor(emu, {
  check: (s) => {
    expect(occurrences(s, WRONG), 'a wrong password was echoed').toBe(0);
  },
});

const resources = [{ type: 'TYPE_REPO', path: 'acme/*', scopes: ['repo-pull'] }];

describe.each(['legacy', 'modern'] as const)('hub_auth login actions (%s era)', (era) => {
  it('create_token exchanges credentials for a JWT, shown once, never echoing the secret', async () => {
    const s = await open({ era });
    // The secret argument is the sentinel: it must appear in nothing the server sends or logs.
    const data = ok<{ access_token: string; username: string; expires_at: string; token_type: string }>(
      await s.call('hub_auth', { action: 'create_token', identifier: 'alice', secret: SENTINEL }),
    );
    expect(data).toMatchObject({ token_type: 'Bearer', username: 'alice' });
    expect(decodeJwt(data.access_token)['https://hub.docker.com']?.username).toBe('alice');
    expect(Date.parse(data.expires_at)).toBeGreaterThan(Date.now());
    expect(occurrences(s, data.access_token)).toBe(1);
  });

  it('create_token with a wrong secret is a 401 whose hint is about the given credentials', async () => {
    const s = await open({ era });
    const res = await s.call('hub_auth', { action: 'create_token', identifier: 'alice', secret: WRONG });
    expect(res.isError).toBe(true);
    expect(res.envelope.error).toMatchObject({ http_status: 401 });
    expect(res.envelope.error?.message).toMatch(/refused the credentials of alice/);
    expect(res.envelope.error?.hint).toMatch(/given to this action/);
  });
});

describe('hub_auth login actions', () => {
  it('names a missing credential and never repeats an invalid one', async () => {
    const s = await open();
    const missing = await s.call('hub_auth', { action: 'create_token', identifier: 'alice' });
    expect(missing.envelope.error?.message).toBe(
      'hub_auth.create_token: missing parameter "secret". Expected parameters: identifier (required), secret (required).',
    );
    const invalid = await s.call('hub_auth', { action: 'login', username: 'alice', password: ['x', WRONG] });
    expect(invalid.envelope.error?.message).toMatch(/invalid parameter "password": invalid value/);
  });

  it('login (deprecated) returns a JWT; a wrong password is refused', async () => {
    const s = await open();
    const data = ok<{ status: string; access_token: string; username: string }>(
      await s.call('hub_auth', { action: 'login', username: 'alice', password: SENTINEL }),
    );
    expect(data).toMatchObject({ status: 'authenticated', username: 'alice' });
    expect(occurrences(s, data.access_token)).toBe(1);
    const refused = await s.call('hub_auth', { action: 'login', username: 'alice', password: WRONG });
    expect(refused.envelope.error).toMatchObject({ http_status: 401 });
    expect(refused.envelope.error?.hint).toMatch(/given to this action/);
  });

  it('a two-factor account logs in in two steps; a wrong code is refused with advice', async () => {
    const s = await open();
    const first = ok<{ status: string; login_2fa_token: string; next_step: string }>(
      await s.call('hub_auth', { action: 'login', username: 'bob', password: 'bob-secret-pw' }),
    );
    expect(first.status).toBe('2fa_required');
    expect(first.next_step).toMatch(/two_factor_login/);
    expect(first.login_2fa_token.length).toBeGreaterThan(10);
    const wrong = await s.call('hub_auth', {
      action: 'two_factor_login',
      login_2fa_token: first.login_2fa_token,
      code: '000000',
    });
    expect(wrong.envelope.error).toMatchObject({ http_status: 401 });
    expect(wrong.envelope.error?.hint).toMatch(/codes change/);
    const second = ok<{ access_token: string; username: string }>(
      await s.call('hub_auth', {
        action: 'two_factor_login',
        login_2fa_token: first.login_2fa_token,
        code: TWO_FACTOR_CODE,
      }),
    );
    expect(second.username).toBe('bob');
    // The intermediate token is single use.
    const replay = await s.call('hub_auth', {
      action: 'two_factor_login',
      login_2fa_token: first.login_2fa_token,
      code: TWO_FACTOR_CODE,
    });
    expect(replay.envelope.error?.http_status).toBe(401);
    // Neither the one-time code nor bob's password came back in anything the server sent.
    expect(occurrences(s, 'bob-secret-pw')).toBe(0);
    expect(occurrences(s, `"${TWO_FACTOR_CODE}"`)).toBe(0);
  });
});

describe('hub_auth personal access tokens', () => {
  it('creates a PAT whose value appears once, in the create result, and never in lists, reads or logs', async () => {
    const s = await open();
    const created = ok<{ uuid: string; token: string; token_label: string; scopes: string[] }>(
      await s.call('hub_auth', {
        action: 'create_pat',
        token_label: 'ci read',
        scopes: ['repo:read'],
        expires_at: '2099-01-31',
      }),
    );
    expect(created.token).toMatch(/^dckr_pat_/);
    expect(created).toMatchObject({ token_label: 'ci read', scopes: ['repo:read'] });
    const listed = ok<Array<{ uuid: string; token: string }>>(
      await s.call('hub_auth', { action: 'list_pats' }),
    );
    expect(listed.find((t) => t.uuid === created.uuid)?.token).toBe('');
    const got = ok<{ token_label: string; expires_at: string }>(
      await s.call('hub_auth', { action: 'get_pat', uuid: created.uuid }),
    );
    expect(got).toMatchObject({ token_label: 'ci read', expires_at: '2099-01-31T00:00:00.000Z' });
    expect(occurrences(s, created.token)).toBe(1);
    expect(emu().state.pats.get(created.uuid)?.token).toBe(created.token);
  });

  it('renames and deactivates a PAT; needs something to change', async () => {
    const s = await open();
    const { uuid } = ok<{ uuid: string }>(
      await s.call('hub_auth', { action: 'create_pat', token_label: 'temp', scopes: ['repo:public_read'] }),
    );
    const updated = ok(
      await s.call('hub_auth', { action: 'update_pat', uuid, token_label: 'renamed', is_active: false }),
    );
    expect(updated).toMatchObject({ token_label: 'renamed', is_active: false });
    expect(emu().state.pats.get(uuid)?.is_active).toBe(false);
    const nothing = await s.call('hub_auth', { action: 'update_pat', uuid });
    expect(nothing.envelope.error?.message).toMatch(/give token_label or is_active/);
  });

  it('answers an unknown PAT with 404, a bad scope and a bad date before any request', async () => {
    const s = await open();
    const missing = await s.call('hub_auth', { action: 'get_pat', uuid: 'no-such-token' });
    expect(missing.envelope.error).toMatchObject({ http_status: 404 });
    const scope = await s.call('hub_auth', { action: 'create_pat', token_label: 'x', scopes: ['repo:god'] });
    expect(scope.envelope.error?.message).toMatch(/invalid parameter "scopes"/);
    const date = await s.call('hub_auth', {
      action: 'create_pat',
      token_label: 'x',
      scopes: ['repo:read'],
      expires_at: 'next tuesday',
    });
    expect(date.envelope.error?.message).toMatch(/expires_at "next tuesday" is not a date/);
    expect(date.envelope.error?.hint).toMatch(/nothing was sent/);
    const anon = await s.call('hub_auth', { action: 'list_pats', page_size: 500 });
    expect(anon.envelope.error?.message).toMatch(/invalid parameter "page_size"/);
  });
});

describe('hub_auth organization access tokens', () => {
  it('creates an OAT shown once, lists, reads and updates it', async () => {
    const s = await open();
    const created = ok<{ id: string; token: string; label: string }>(
      await s.call('hub_auth', {
        action: 'create_oat',
        org_name: 'acme',
        label: 'pipeline',
        description: 'CI pulls',
        resources,
      }),
    );
    expect(created.token).toMatch(/^dckr_oat_/);
    const listed = ok<Array<{ id: string; label: string }>>(
      await s.call('hub_auth', { action: 'list_oats', org_name: 'acme' }),
    );
    expect(listed.map((t) => t.label)).toContain('pipeline');
    const got = ok(
      await s.call('hub_auth', { action: 'get_oat', org_name: 'acme', access_token_id: created.id }),
    );
    expect(got).toMatchObject({ label: 'pipeline', description: 'CI pulls', resources });
    const updated = ok(
      await s.call('hub_auth', {
        action: 'update_oat',
        org_name: 'acme',
        access_token_id: created.id,
        is_active: false,
        resources: [{ type: 'TYPE_REPO', path: 'acme/app', scopes: ['repo-pull', 'repo-push'] }],
      }),
    );
    expect(updated).toMatchObject({ is_active: false, resources: [{ path: 'acme/app' }] });
    expect(occurrences(s, created.token)).toBe(1);
  });

  it('refuses a stranger with 403, an unknown id with 404 and bad resources before sending', async () => {
    const s = await open({ user: { username: 'dave', password: 'dave-secret-pw' } });
    const stranger = await s.call('hub_auth', { action: 'list_oats', org_name: 'acme' });
    expect(stranger.envelope.error).toMatchObject({ http_status: 403 });
    expect(stranger.envelope.error?.hint).toMatch(/lacks permission/);
    const t = await open();
    const missing = await t.call('hub_auth', {
      action: 'get_oat',
      org_name: 'acme',
      access_token_id: 'nope',
    });
    expect(missing.envelope.error).toMatchObject({ http_status: 404 });
    const bad = await t.call('hub_auth', {
      action: 'create_oat',
      org_name: 'acme',
      label: 'x',
      resources: [{ type: 'TYPE_FILE', path: 'x', scopes: ['a'] }],
    });
    expect(bad.envelope.error?.message).toMatch(/invalid parameter "resources"/);
    const empty = await t.call('hub_auth', { action: 'update_oat', org_name: 'acme', access_token_id: 'x' });
    expect(empty.envelope.error?.message).toMatch(/give label, description, resources or is_active/);
  });
});

describe('hub_auth destructive actions', () => {
  const newPat = async (s: McpSession, label: string) =>
    ok<{ uuid: string }>(
      await s.call('hub_auth', { action: 'create_pat', token_label: label, scopes: ['repo:read'] }),
    ).uuid;
  const newOat = async (s: McpSession, label: string) =>
    ok<{ id: string }>(await s.call('hub_auth', { action: 'create_oat', org_name: 'acme', label, resources }))
      .id;

  it('hides delete_pat and delete_oat unless destructive actions are allowed', async () => {
    const s = await open();
    const actions = await advertisedActions(s, 'hub_auth');
    expect(actions).toContain('create_pat');
    expect(actions).not.toContain('delete_pat');
    expect(actions).not.toContain('delete_oat');
    expect(await annotationsOf(s, 'hub_auth')).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    const uuid = await newPat(s, 'keep-me');
    await expectRefusedWhileOff(s, 'hub_auth', { action: 'delete_pat', uuid });
    await expectRefusedWhileOff(s, 'hub_auth', {
      action: 'delete_oat',
      org_name: 'acme',
      access_token_id: 'x',
    });
    expect(emu().state.pats.has(uuid)).toBe(true);
  });

  it.each(['legacy', 'modern'] as const)(
    'deletes a PAT and an OAT once the user confirms (%s era)',
    async (era) => {
      const s = await open({ era, allowDestructive: true, elicit: 'accept' });
      expect(await annotationsOf(s, 'hub_auth')).toMatchObject({ destructiveHint: true });
      const uuid = await newPat(s, `doomed-${era}`);
      expect(ok(await s.call('hub_auth', { action: 'delete_pat', uuid }))).toEqual({ deleted: uuid });
      expect(emu().state.pats.has(uuid)).toBe(false);
      const id = await newOat(s, `doomed-${era}`);
      expect(
        ok(await s.call('hub_auth', { action: 'delete_oat', org_name: 'acme', access_token_id: id })),
      ).toEqual({
        deleted: id,
        org_name: 'acme',
      });
      expect(emu().state.orgTokens.has(id)).toBe(false);
      expect(s.asked).toEqual([
        `Delete the personal access token ${uuid}? Whatever uses it stops working at once. (hub_auth.delete_pat)`,
        `Delete the access token ${id} of organization acme? Automation using it stops working at once. (hub_auth.delete_oat)`,
      ]);
      // Confirmed, but nothing by that id: the API's 404 comes back.
      const gone = await s.call('hub_auth', { action: 'delete_pat', uuid });
      expect(gone.envelope.error).toMatchObject({ http_status: 404 });
      const goneOat = await s.call('hub_auth', {
        action: 'delete_oat',
        org_name: 'acme',
        access_token_id: id,
      });
      expect(goneOat.envelope.error).toMatchObject({ http_status: 404 });
    },
  );

  it.each(['decline', 'cancel', 'untick'] as const)(
    'deletes nothing when the user answers %s',
    async (elicit) => {
      const s = await open({ allowDestructive: true, elicit });
      const uuid = await newPat(s, `kept-${elicit}`);
      const id = await newOat(s, `kept-${elicit}`);
      expectDeclined(await s.call('hub_auth', { action: 'delete_pat', uuid }));
      expectDeclined(
        await s.call('hub_auth', { action: 'delete_oat', org_name: 'acme', access_token_id: id }),
      );
      expect(emu().state.pats.has(uuid)).toBe(true);
      expect(emu().state.orgTokens.has(id)).toBe(true);
    },
  );

  it('without elicitation: runs on the host’s approval (auto), refused when confirmation is required', async () => {
    const s = await open({ allowDestructive: true, confirm: 'always' });
    const uuid = await newPat(s, 'no-elicit');
    const refused = await s.call('hub_auth', { action: 'delete_pat', uuid });
    expect(refused.envelope.error?.message).toMatch(/cannot ask/);
    expect(emu().state.pats.has(uuid)).toBe(true);
    const t = await open({ allowDestructive: true });
    expect(ok(await t.call('hub_auth', { action: 'delete_pat', uuid }))).toEqual({ deleted: uuid });
    expect(emu().state.pats.has(uuid)).toBe(false);
  });
});
