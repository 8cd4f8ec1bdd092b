/**
 * Independent contract check: every documented operation, called through the SDK against Stoplight Prism
 * mocking Docker's spec with `--errors` (one Prism for the whole pass), from the table shared with the
 * emulator pass (tests/helpers/hub-operations.ts). Prism answers from the spec's examples, so only the
 * request side is under test: each request must be accepted as the SDK sends it, and the test fails naming
 * any documented operation that no accepted request reached. The two spec defects that make Prism refuse a
 * correct request are expected, by name, and nothing else may be refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecValidator } from '../../src/emulator/spec.js';
import { defaultSpecPath } from '../../src/emulator/spec-files.js';
import { HubClient } from '../../src/hub/index.js';
import {
  hubOperations,
  knownSpecDefects,
  type OperationIds,
  runOperations,
} from '../helpers/hub-operations.js';
import { type RunningPrism, startPrism } from '../helpers/prism.js';

/** Valid-looking ids: Prism's answers are examples, so nothing is read back from them. */
const ids: OperationIds = {
  org: 'acme',
  repository: 'app',
  tag: 'latest',
  newRepository: 'fresh',
  team: 'devs',
  teamId: 12345,
  newTeam: 'qa',
  member: 'bob',
  teamMember: 'dave',
  invitees: ['bob', 'new@example.test'],
  inviteId: 'e36eca69-4cc8-4f17-9845-ae8c2b832691',
  accessTokenId: 'b6a1a2a4-0f0e-4a5c-9f3e-2d1c0b9a8f7e',
  orgAccessTokenId: 'a7a5ef25-8889-43a0-8cc7-f2a94268e861',
  login: { username: 'alice', password: 'p@ssw0rd' },
  twoFactor: { login_2fa_token: 'intermediate', code: '123456' },
  scimToken: 'scim-token-for-prism',
  scimUserId: 'd80f7c79-7730-49d8-9a41-7c42fb622d9c',
  scimUserName: 'jon.snow@docker.com',
  scimNewUser: 'jon.snow@docker.com',
};

let prism: RunningPrism;
let hub: HubClient;
let documented: string[];

const client = (credentials: { username?: string; password?: string } = {}) =>
  new HubClient({
    baseUrl: prism.url,
    credentials: { ...credentials, env: {}, useDockerConfig: false },
    allowDestructive: true,
  });

beforeAll(async () => {
  [prism, { operationNames: documented }] = await Promise.all([
    startPrism(),
    loadSpecValidator(defaultSpecPath()),
  ]);
  hub = client({ username: 'alice', password: 'pw' });
}, 90_000);
afterAll(async () => {
  expect(prism.requestViolations).toEqual([]);
  await hub?.close();
  await prism?.stop();
});

describe('Prism pass: every documented operation', () => {
  it('each call is accepted, reaches its own operation, and together they reach every documented one', async () => {
    const calls = hubOperations(hub, ids);
    const missing = documented.filter((op) => !(op in calls));
    expect(
      missing,
      `documented operations with no call in tests/helpers/hub-operations.ts: ${missing.join(', ')}`,
    ).toEqual([]);
    // A guard against a truncated spec file (it held 54 operations when this was written).
    expect(documented.length).toBeGreaterThanOrEqual(54);
    const reached: Record<string, string[]> = {};
    const failures = await runOperations(calls, async (operation, run) => {
      const before = [...prism.operationsAccepted];
      prism.operationsAccepted.clear();
      try {
        return await run();
      } finally {
        reached[operation] = [...prism.operationsAccepted];
        for (const op of before) prism.operationsAccepted.add(op);
      }
    });
    expect(failures, `operations whose call failed: ${Object.keys(failures).join(', ')}`).toEqual({});
    expect(prism.refusals).toEqual([]);
    expect(prism.requestViolations).toEqual([]);
    const astray = Object.keys(calls).filter((op) => !reached[op]?.includes(op));
    expect(astray, `calls Prism did not accept as their operation: ${astray.join(', ')}`).toEqual([]);
    const uncovered = documented.filter((op) => !prism.operationsAccepted.has(op));
    expect(uncovered, `documented operations Prism never accepted: ${uncovered.join(', ')}`).toEqual([]);
    expect([...prism.operationsAccepted].sort()).toEqual([...documented].sort());
  });
});

/**
 * Where an operation documents a 400, Prism answers a violation with Docker's example 400 body (no
 * `validation` list for the proxy to record), so Prism's log is read for the violation it names.
 */
describe('Prism pass: known defects of the spec, expected by name', () => {
  it('refuses exactly the requests the listed defects predict, and no other', async () => {
    const before = prism.refusals.length;
    const defects = knownSpecDefects(hub, ids);
    for (const defect of defects) {
      await expect(defect.call(), defect.defect).rejects.toThrow(/^400 /);
      expect(prism.log(), defect.defect).toMatch(defect.violation);
    }
    expect(prism.refusals.slice(before).map((r) => r.operation)).toEqual(defects.map((d) => d.operation));
    expect(prism.log().match(/Request did not pass the validation rules/g)).toHaveLength(defects.length);
  });
});

describe('Prism pass: beyond one call per operation', () => {
  it('the legacy logins take no bearer: an anonymous client logs in without minting a JWT', async () => {
    const anonymous = client();
    const res = await anonymous.legacyAuth.login(ids.login);
    expect(res.status).toBe('authenticated');
    if (res.status === 'authenticated') expect(res.token.reveal()).toMatch(/^ey/);
    const { token } = await anonymous.legacyAuth.login2fa(ids.twoFactor);
    expect(token.reveal()).toMatch(/^ey/);
    expect(anonymous.auth.mints).toBe(0);
    await anonymous.close();
  });

  it('control: Prism does refuse a 2FA login without its code', async () => {
    const before = { violations: prism.requestViolations.length, refusals: prism.refusals.length };
    const res = await fetch(`${prism.url}/v2/users/2fa-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login_2fa_token: 'intermediate' }),
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/must have required property 'code'/);
    expect(prism.refusals.slice(before.refusals)).toEqual([
      { operation: 'PostUsers2FALogin', request: 'POST /v2/users/2fa-login', status: 422 },
    ]);
    // Expected here: this request is wrong on purpose.
    prism.requestViolations.splice(before.violations);
    prism.refusals.splice(before.refusals);
  });

  it('logs in with an organization name and an org access token', async () => {
    const robot = client({ username: 'acme', password: 'dckr_oat_7awgM4jG5SQvxcvmNzhKj8PQjxo' });
    await robot.auditLogs.actions('acme');
    expect(robot.auth.mints).toBe(1);
    await robot.close();
  });

  it('invites in bulk as a dry run too', async () => {
    const results = await hub.orgs.invites.bulk({ org: 'acme', invitees: ids.invitees, dry_run: true });
    expect(Array.isArray(results)).toBe(true);
  });

  it("reads Prism's answers to the HEAD checks as existing", async () => {
    expect(await hub.repositories.exists('acme', 'app')).toBe(true);
    expect(await hub.tags.exists('acme', 'app')).toBe(true);
    expect(await hub.tags.exists('acme', 'app', 'latest')).toBe(true);
  });
});
