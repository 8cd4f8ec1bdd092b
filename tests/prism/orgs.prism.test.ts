/**
 * Contract check for organizations: settings, members, invites, teams (groups), team permissions on
 * repositories and immutable tags, against Stoplight Prism mocking Docker's spec with `--errors`. Only the
 * request side is under test: every documented operation must be accepted as the SDK sends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient } from '../../src/hub/index.js';
import { type RunningPrism, startPrism } from '../helpers/prism.js';

let prism: RunningPrism;
let hub: HubClient;

beforeAll(async () => {
  prism = await startPrism();
  hub = new HubClient({
    baseUrl: prism.url,
    credentials: { username: 'alice', password: 'pw', env: {}, useDockerConfig: false },
    allowDestructive: true,
  });
}, 90_000);
afterAll(async () => {
  expect(prism.requestViolations).toEqual([]);
  await hub?.close();
  await prism?.stop();
});

describe('Prism pass: organizations', () => {
  it('reads and writes org settings', async () => {
    await expect(hub.orgs.settings.get('acme')).resolves.toBeDefined();
    await expect(
      hub.orgs.settings.update('acme', {
        restricted_images: { enabled: true, allow_official_images: true, allow_verified_publishers: false },
      }),
    ).resolves.toBeDefined();
  });

  it('lists members with every documented filter, exports them, changes a role and removes one', async () => {
    const first = await hub.orgs.members
      .list('acme', { type: 'all', role: 'editor', invites: true, page: 1, page_size: 25 })
      .pages()
      .next();
    expect(first.done).toBe(false);
    expect(typeof (await hub.orgs.members.export('acme'))).toBe('string');
    await expect(hub.orgs.members.updateRole('acme', 'bob', 'editor')).resolves.toBeDefined();
    await hub.orgs.members.remove('acme', 'bob');
  });

  it('lists, resends and cancels invites, and invites in bulk (with a dry run)', async () => {
    expect(Array.isArray(await hub.orgs.invites.list('acme'))).toBe(true);
    await hub.orgs.invites.resend('e36eca69-4cc8-4f17-9845-ae8c2b832691');
    await hub.orgs.invites.cancel('e36eca69-4cc8-4f17-9845-ae8c2b832691');
    for (const dry_run of [true, false]) {
      const results = await hub.orgs.invites.bulk({
        org: 'acme',
        team: 'devs',
        role: 'member',
        invitees: ['bob', 'new@example.test'],
        dry_run,
      });
      expect(Array.isArray(results)).toBe(true);
    }
  });

  it('manages teams (groups) and their members', async () => {
    const page = await hub.orgs.teams
      .list('acme', { username: 'bob', search: 'dev', page: 1, page_size: 10 })
      .pages()
      .next();
    expect(page.done).toBe(false);
    await expect(hub.orgs.teams.create('acme', 'devs')).resolves.toBeDefined();
    await expect(hub.orgs.teams.get('acme', 'devs')).resolves.toBeDefined();
    await expect(hub.orgs.teams.replace('acme', 'devs', { name: 'developers' })).resolves.toBeDefined();
    await expect(hub.orgs.teams.update('acme', 'developers', { name: 'devs' })).resolves.toBeDefined();
    const members = await hub.orgs.teams.members
      .list('acme', 'devs', { search: 'bo', page: 1, page_size: 10 })
      .pages()
      .next();
    expect(members.done).toBe(false);
    await hub.orgs.teams.members.add('acme', 'devs', 'bob');
    await hub.orgs.teams.members.remove('acme', 'devs', 'bob');
    await hub.orgs.teams.delete('acme', 'devs');
  });

  it('grants a team access to a repository and sets immutable tags', async () => {
    await expect(
      hub.repositories.permissions.grantTeam('acme', 'app', 12345, 'write'),
    ).resolves.toBeDefined();
    await expect(
      hub.repositories.immutableTags.update('acme', 'app', {
        immutable_tags: true,
        immutable_tags_rules: ['v.*', '^release-[0-9]+$'],
      }),
    ).resolves.toBeDefined();
    // A literal tag passes the spec's (defective) pattern for `regex`; see the next test.
    expect(Array.isArray(await hub.repositories.immutableTags.verify('acme', 'app', 'latest'))).toBe(true);
  });
});

/**
 * Where an operation documents a 400, Prism answers a violation with Docker's example 400 body (no
 * `validation` list for the proxy to record), so these read Prism's log for the violation it names.
 */
describe('Prism pass: known defects of the spec, recorded', () => {
  it('the spec types the members `search` filter as an integer, so a text search is refused', async () => {
    await expect(hub.orgs.members.list('acme', { search: 'bob' }).toArray()).rejects.toThrow(/^400 /);
    expect(prism.log()).toContain(
      'Violation: request.query.search Request query parameter search must be integer',
    );
  });

  it("the spec's pattern for the verify `regex` refuses regular expressions, its own example `v.*` included", async () => {
    await expect(hub.repositories.immutableTags.verify('acme', 'app', 'v.*')).rejects.toThrow(/^400 /);
    expect(prism.log()).toMatch(/Violation: request\.body\.regex .*must match pattern/);
    // These two are the only requests of this file that Prism refused.
    expect(prism.log().match(/Request did not pass the validation rules/g)).toHaveLength(2);
  });
});
