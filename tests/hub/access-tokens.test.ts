/** Personal access tokens against the emulator: the plaintext is shown once, and a PAT logs in. */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestructiveOperationBlockedError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;

const hub = (secret = SENTINEL, allowDestructive = false) =>
  new HubClient({
    baseUrl: emu.url,
    credentials: { username: 'alice', password: secret, env: {}, useDockerConfig: false },
    allowDestructive,
  });

beforeAll(async () => {
  emu = await startEmulator({ seed: { users: [{ username: 'alice', password: SENTINEL }] } });
});
afterAll(async () => emu?.stop());

describe('personal access tokens', () => {
  it('creates a token whose plaintext is shown once and redacted everywhere else', async () => {
    const client = hub();
    const created = await client.accessTokens.create({
      token_label: 'ci',
      scopes: ['repo:read'],
      expires_at: '2099-01-01T00:00:00Z',
    });
    expect(created.token.reveal()).toMatch(/^dckr_pat_/);
    expect(JSON.stringify(created)).not.toContain(created.token.reveal());
    expect(inspect(created)).not.toContain(created.token.reveal());
    const fetched = await client.accessTokens.get(created.uuid);
    expect(fetched).toMatchObject({ token_label: 'ci', scopes: ['repo:read'], is_active: true, token: '' });
    const listed = await client.accessTokens.list().toArray();
    expect(listed.map((t) => t.uuid)).toContain(created.uuid);
    expect(JSON.stringify(listed)).not.toContain(created.token.reveal());
    // The new token itself logs in.
    const viaPat = hub(created.token.reveal());
    expect((await viaPat.users.whoami()).username).toBe('alice');
    await viaPat.close();
    await client.close();
  });

  it('deactivates a token so it no longer logs in, and deletes only when allowed', async () => {
    const client = hub();
    const created = await client.accessTokens.create({ token_label: 'temp', scopes: ['repo:write'] });
    const updated = await client.accessTokens.update(created.uuid, { is_active: false, token_label: 'off' });
    expect(updated).toMatchObject({ is_active: false, token_label: 'off' });
    const viaPat = hub(created.token.reveal());
    await expect(viaPat.repositories.create({ namespace: 'alice', name: 'x1' })).rejects.toThrow(
      /refused the credentials/,
    );
    await viaPat.close();
    await expect(client.accessTokens.delete(created.uuid)).rejects.toBeInstanceOf(
      DestructiveOperationBlockedError,
    );
    const allowed = hub(SENTINEL, true);
    await allowed.accessTokens.delete(created.uuid);
    await expect(allowed.accessTokens.get(created.uuid)).rejects.toBeInstanceOf(NotFoundError);
    expect(emu.state.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['pat.create', 'pat.update', 'pat.delete']),
    );
    await allowed.close();
    await client.close();
  });

  it('rejects bad input before any request', async () => {
    const client = hub();
    const before = emu.state.audit.length;
    await expect(
      client.accessTokens.create({ token_label: '', scopes: ['repo:read'] }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      client.accessTokens.create({ token_label: 'x', scopes: ['repo:everything' as 'repo:read'] }),
    ).rejects.toThrow(/unknown scope "repo:everything"/);
    await expect(
      client.accessTokens.create({ token_label: 'x', scopes: ['repo:read'], expires_at: 'soon' }),
    ).rejects.toThrow(/not a date-time/);
    expect(emu.state.audit.length).toBe(before);
    await client.close();
  });
});
