/**
 * Every documented operation of Docker's Hub spec, called once through the SDK against the emulator, from
 * the table shared with the Prism pass (tests/helpers/hub-operations.ts). A spec update that adds an
 * operation makes this fail, naming it, until the SDK, the emulator and the table cover it.
 *
 * Both directions are checked against the spec: the emulator validates each request (a 400 would fail the
 * call), and with `checkResponses` it validates each of its answers against the operation's documented
 * response, so the emulator cannot drift from Docker's contract either. The spec's own defects on the answer
 * side are excepted by name (RESPONSE_DEFECTS, documented in docs/hub-api.md), and nothing else is.
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { HubClient } from '../../src/hub/index.js';
import {
  hubOperations,
  knownSpecDefects,
  type OperationIds,
  RESPONSE_DEFECTS,
  responseDefectOf,
  runOperations,
} from '../helpers/hub-operations.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const SCIM_TOKEN = 'scim-token-for-the-coverage-test';
const ORG = 'acme';

let emu: RunningEmulator;
let hub: HubClient;
let ids: OperationIds;
/** What the SDK logs at warn level: lenient response validation reports a mismatch here. */
const warnings: string[] = [];
const logger = createLogger({
  level: 'warn',
  destination: new Writable({
    write(chunk, _encoding, done) {
      warnings.push(String(chunk));
      done();
    },
  }),
});

const client = (username: string, allowDestructive = false) =>
  new HubClient({
    baseUrl: emu.url,
    credentials: { username, password: SENTINEL, env: {}, useDockerConfig: false },
    allowDestructive,
    logger,
  });

beforeAll(async () => {
  emu = await startEmulator({
    checkResponses: true,
    seed: {
      users: [
        { username: 'alice', password: SENTINEL, email: 'alice@example.test' },
        { username: 'bob', password: SENTINEL, email: 'bob@example.test' },
        { username: 'carol', password: SENTINEL, email: 'carol@example.test' },
        { username: 'dave', password: SENTINEL, email: 'dave@example.test' },
        { username: 'erin', password: SENTINEL, email: 'erin@example.test', twoFactorCode: '246810' },
        { username: 'frank', password: SENTINEL, email: 'frank@example.test' },
      ],
      orgs: [
        {
          name: ORG,
          members: [
            { username: 'alice', role: 'owner' },
            'bob',
            { username: 'carol', role: 'editor' },
            'dave',
            'frank',
          ],
          teams: [{ name: 'devs', members: ['bob'] }],
        },
      ],
      repositories: [
        { namespace: ORG, name: 'app', description: 'the app', tags: [{ name: 'latest' }, { name: 'v1.0' }] },
        { namespace: ORG, name: 'scratch', tags: [{ name: 'keep' }, { name: 'drop' }] },
      ],
      scim: { org: ORG, token: SCIM_TOKEN },
    },
  });
  hub = client('alice', true);
  // What the table reads, updates or deletes, created here: the ids are real, as a user would have them.
  const pat = await hub.accessTokens.create({ token_label: 'existing', scopes: ['repo:read'] });
  const oat = await hub.orgAccessTokens.create(ORG, {
    label: 'existing',
    resources: [{ type: 'TYPE_REPO', path: `${ORG}/app`, scopes: ['repo-pull'] }],
  });
  const [pending] = await hub.orgs.invites.bulk({ org: ORG, invitees: ['pending@example.test'] });
  const secondStep = await hub.legacyAuth.login({ username: 'erin', password: SENTINEL });
  if (secondStep.status !== '2fa_required' || !pending?.invite) throw new Error('setup failed');
  const [frank] = await hub.scim(SCIM_TOKEN).users.list({ userName: 'frank@example.test' }).toArray();
  ids = {
    org: ORG,
    repository: 'app',
    tag: 'latest',
    newRepository: 'fresh',
    team: 'devs',
    teamId: (await hub.orgs.teams.get(ORG, 'devs')).id,
    newTeam: 'qa',
    member: 'bob',
    teamMember: 'dave',
    invitees: ['newcomer@example.test', 'carol'],
    inviteId: pending.invite.id,
    accessTokenId: pat.uuid,
    orgAccessTokenId: oat.id,
    login: { username: 'alice', password: SENTINEL },
    twoFactor: { login_2fa_token: secondStep.login_2fa_token, code: '246810' },
    scimToken: SCIM_TOKEN,
    scimUserId: frank?.id ?? 'missing',
    scimUserName: 'frank@example.test',
    scimNewUser: 'newhire@example.test',
  };
  emu.operationsServed.clear();
  emu.responsesChecked.clear();
  emu.responseViolations.splice(0);
});
afterAll(async () => {
  await hub?.close();
  await emu?.stop();
});

describe('every documented operation, SDK against the emulator', () => {
  it('the table names exactly the operations of the spec', () => {
    const documented = emu.spec?.operationNames ?? [];
    const table = Object.keys(hubOperations(hub, ids));
    const missing = documented.filter((op) => !table.includes(op));
    expect(
      missing,
      `documented operations with no call in tests/helpers/hub-operations.ts: ${missing.join(', ')}`,
    ).toEqual([]);
    // A guard against a truncated spec file (it held 54 operations when this was written).
    expect(documented.length).toBeGreaterThanOrEqual(54);
    expect(table.filter((op) => !documented.includes(op))).toEqual([]);
  });

  it('each call succeeds, reaches its own operation, and together they reach every documented one', async () => {
    const calls = hubOperations(hub, ids);
    const reached: Record<string, string[]> = {};
    const failures = await runOperations(calls, async (operation, run) => {
      // Which operations this one call reached: the set is emptied around it, then refilled.
      const before = [...emu.operationsServed];
      emu.operationsServed.clear();
      try {
        return await run();
      } finally {
        reached[operation] = [...emu.operationsServed];
        for (const op of before) emu.operationsServed.add(op);
      }
    });
    expect(failures, `operations whose call failed: ${Object.keys(failures).join(', ')}`).toEqual({});
    const astray = Object.keys(calls).filter((op) => !reached[op]?.includes(op));
    expect(astray, `calls that did not reach their operation: ${astray.join(', ')}`).toEqual([]);
    const documented = emu.spec?.operationNames ?? [];
    const uncovered = documented.filter((op) => !emu.operationsServed.has(op));
    expect(uncovered, `documented operations the emulator never answered: ${uncovered.join(', ')}`).toEqual(
      [],
    );
    expect([...emu.operationsServed].sort()).toEqual([...documented].sort());
    // The emulator's answers validate cleanly against the SDK's response schemas (SCIM included).
    expect(warnings).toEqual([]);
    // ... and against the spec's response schemas, for every documented operation, the listed defects excepted.
    expect([...emu.responsesChecked].sort()).toEqual([...documented].sort());
    const drift = emu.responseViolations.filter((v) => !responseDefectOf(v));
    expect(drift, 'answers of the emulator that break the spec (fix the emulator)').toEqual([]);
    const gone = RESPONSE_DEFECTS.flatMap((d) =>
      d.operations
        .filter(
          (op) => !emu.responseViolations.some((v) => v.operation === op && d.violation.test(v.violation)),
        )
        .map((op) => `${d.name}: ${op}`),
    );
    expect(gone, 'listed response defects that no longer occur (drop them from RESPONSE_DEFECTS)').toEqual(
      [],
    );
  });

  it('left what a user would see: created, renamed back, removed, cancelled', async () => {
    const viewer = client('alice');
    expect((await viewer.repositories.get(ORG, 'fresh')).is_private).toBe(true);
    expect((await viewer.orgs.teams.list(ORG).toArray()).map((t) => t.name)).toEqual(['devs']);
    const members = await viewer.orgs.members.list(ORG).toArray();
    expect(members.map((m) => m.username)).not.toContain('bob');
    expect(members.map((m) => m.username)).toContain('newhire');
    expect((await viewer.orgs.invites.list(ORG)).map((i) => i.invitee)).toEqual(['newcomer@example.test']);
    expect((await viewer.accessTokens.list().toArray()).map((t) => t.token_label)).toEqual(['ci']);
    expect((await viewer.orgs.settings.get(ORG)).restricted_images).toEqual({
      enabled: true,
      allow_official_images: true,
      allow_verified_publishers: false,
    });
    await viewer.close();
    expect(warnings).toEqual([]);
  });

  it("accepts what Docker's spec wrongly refuses (the defects the Prism pass expects)", async () => {
    for (const defect of knownSpecDefects(hub, ids))
      await expect(defect.call(), defect.defect).resolves.toBeDefined();
  });
});

describe("the emulator's answers against the spec's response schemas", () => {
  it('every answer of this file conforms, but for the defects listed by name', () => {
    expect(emu.responseViolations.filter((v) => !responseDefectOf(v))).toEqual([]);
  });

  it('names each excepted defect in docs/hub-api.md', () => {
    const docs = readFileSync(new URL('../../docs/hub-api.md', import.meta.url), 'utf8');
    const section = docs.slice(docs.indexOf('### Response schema defects'));
    expect(section.length, 'docs/hub-api.md has no "Response schema defects" section').toBeLessThan(
      docs.length,
    );
    for (const defect of RESPONSE_DEFECTS) {
      expect(section, defect.name).toContain(`**${defect.name}**`);
      for (const op of defect.operations) expect(section, `${defect.name}: ${op}`).toContain(`\`${op}\``);
    }
  });
});

describe('undocumented SDK calls, against the emulator', () => {
  it('search, user orgs, repository update and delete, tag delete all work, outside the spec', async () => {
    emu.operationsServed.clear();
    const found = await hub.search.list({ query: 'scratch' }).toArray();
    expect(found.map((r) => r.name)).toEqual([`${ORG}/scratch`]);
    expect((await hub.users.orgs().toArray()).map((o) => o.orgname)).toEqual([ORG]);
    expect((await hub.users.me()).username).toBe('alice');
    expect(await hub.repositories.update(ORG, 'scratch', { description: 'renamed' })).toMatchObject({
      description: 'renamed',
    });
    await hub.tags.delete(ORG, 'scratch', 'drop');
    expect((await hub.tags.list(ORG, 'scratch').toArray()).map((t) => t.name)).toEqual(['keep']);
    await hub.repositories.delete(ORG, 'scratch');
    expect(await hub.repositories.exists(ORG, 'scratch')).toBe(false);
    // Only the two documented calls made for the checks above count as documented operations.
    expect([...emu.operationsServed].sort()).toEqual(['CheckRepository', 'ListRepositoryTags']);
  });
});
