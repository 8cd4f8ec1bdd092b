/**
 * Contract check of the two documented login operations (`PostUsersLogin`, deprecated, and
 * `PostUsers2FALogin`) against Stoplight Prism mocking Docker's spec with `--errors`. The undocumented
 * search and user-orgs endpoints are not in the spec; they are tested against the emulator only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/index.js';
import { type RunningPrism, startPrism } from '../helpers/prism.js';

let prism: RunningPrism;
let hub: HubClient;

beforeAll(async () => {
  prism = await startPrism();
  // No credentials: these routes take none (security: []), and HubAuth must not be involved.
  hub = new HubClient({ baseUrl: prism.url, credentials: { env: {}, useDockerConfig: false } });
}, 90_000);
afterAll(async () => {
  expect(prism.requestViolations).toEqual([]);
  await hub?.close();
  await prism?.stop();
});

describe('Prism pass: legacy login and its two-factor step', () => {
  it('POST /v2/users/login is accepted and answers a token', async () => {
    const res = await hub.legacyAuth.login({ username: 'alice', password: 'p@ssw0rd' });
    expect(res.status).toBe('authenticated');
    if (res.status === 'authenticated') expect(res.token.reveal()).toMatch(/^ey/);
    expect(hub.auth.mints).toBe(0);
  });

  it('POST /v2/users/2fa-login is accepted and answers a token', async () => {
    const { token } = await hub.legacyAuth.login2fa({ login_2fa_token: 'intermediate', code: '123456' });
    expect(token.reveal()).toMatch(/^ey/);
  });

  it('control: Prism does refuse a 2FA login without its code', async () => {
    const before = prism.requestViolations.length;
    const res = await fetch(`${prism.url}/v2/users/2fa-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login_2fa_token: 'intermediate' }),
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/must have required property 'code'/);
    prism.requestViolations.splice(before); // expected here: this request is wrong on purpose
  });
});
