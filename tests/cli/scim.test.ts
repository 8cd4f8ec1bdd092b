/** `dockerhub scim …` against the emulator: the SCIM token comes from the environment and is never printed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type CliRun, cli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const SCIM_TOKEN = 'scim-SENTINEL-token-0123456789';
let emu: RunningEmulator;
const saved = { ...process.env };
const outputs: CliRun[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [{ username: 'alice', password: SENTINEL, email: 'alice@example.test' }],
      orgs: [{ name: 'acme', members: ['alice'] }],
      scim: { org: 'acme', token: SCIM_TOKEN },
    },
  });
  Object.assign(process.env, {
    DOCKERHUB_SCIM_TOKEN: SCIM_TOKEN,
    DOCKER_HUB_USER: 'alice',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
  });
});

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
});

const scim = async (...args: string[]) => {
  const res = await cli(['--hub-url', emu.url, 'scim', ...args]);
  outputs.push(res);
  return res;
};

describe('dockerhub scim', () => {
  it('config, resource-types and schemas', async () => {
    const config = await scim('config');
    expect(config.stdout).toMatch(/^Filter:\s+yes$/m);
    expect(config.stdout).toMatch(/^Patch:\s+no$/m);
    expect(config.stdout).toMatch(/^Authentication:\s+OAuth 2.0 Bearer Token$/m);
    expect((await scim('resource-types')).stdout).toMatch(
      /^User\s+\/Users\s+urn:ietf:params:scim:schemas:core:2\.0:User$/m,
    );
    expect(
      JSON.parse((await cli(['--hub-url', emu.url, '--json', 'scim', 'resource-types', 'User'])).stdout),
    ).toMatchObject({
      id: 'User',
    });
    expect((await scim('schemas')).stdout).toMatch(
      /^urn:ietf:params:scim:schemas:core:2\.0:User\s+User\s+5$/m,
    );
    const one = await scim('schemas', 'urn:ietf:params:scim:schemas:core:2.0:User');
    expect(one.stdout).toMatch(/^userName\s+string\s+yes\s+no\s+readWrite$/m);
    expect(one.stdout).toMatch(/^emails\s+complex\s+no\s+yes\s+readWrite$/m);
  });

  it('users create, ls, show', async () => {
    const created = await scim(
      'users',
      'create',
      'jon.snow@example.test',
      '--given-name',
      'Jon',
      '--family-name',
      'Snow',
    );
    expect(created.stdout).toMatch(/^provisioned jon\.snow@example\.test as jonsnow$/m);
    const id = /^ID:\s+(\S+)$/m.exec(created.stdout)?.[1] as string;
    const listed = await scim('users', 'ls');
    expect(listed.stdout).toMatch(/^ID\s+USER NAME\s+DOCKER ID\s+ACTIVE\s+NAME$/m);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}\\s+jon\\.snow@example\\.test\\s+jonsnow\\s+yes\\s+Jon Snow$`, 'm'),
    );
    const one = await scim('users', 'ls', '--user-name', 'alice@example.test');
    expect(one.stdout.trim().split('\n')).toHaveLength(2);
    const paged = JSON.parse(
      (await cli(['--hub-url', emu.url, '--json', 'scim', 'users', 'ls', '--count', '1', '--all'])).stdout,
    );
    expect(paged.map((u: { displayName: string }) => u.displayName).sort()).toEqual(['alice', 'jonsnow']);
    expect((await scim('users', 'show', id)).stdout).toMatch(/^Name:\s+Jon Snow$/m);
    const dup = await scim('users', 'create', 'jon.snow@example.test');
    expect([dup.code, dup.stderr]).toEqual([
      1,
      `dockerhub: 409 jon.snow@example.test is already provisioned (POST ${emu.url}/v2/scim/2.0/Users)\n`,
    ]);
  });

  it('users replace: deactivation asks first, or takes --force', async () => {
    const [jon] = JSON.parse(
      (await cli(['--hub-url', emu.url, '--json', 'scim', 'users', 'ls', '--filter', 'userName sw "jon"']))
        .stdout,
    ) as Array<{ id: string }>;
    const id = jon?.id as string;
    const renamed = await scim('users', 'replace', id, '--active', 'true', '--given-name', 'Aegon');
    expect(renamed.stdout).toMatch(/^updated jon\.snow@example\.test$/m);
    expect(renamed.stdout).toMatch(/^Name:\s+Aegon Snow$/m);
    const refused = await scim('users', 'replace', id, '--active', 'false');
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'dockerhub: refusing to deactivate a user without confirmation: run in a terminal or pass --force\n',
    ]);
    expect(emu.state.orgs.get('acme')?.members.has('jonsnow')).toBe(true);
    const off = await scim('users', 'replace', id, '--active', 'false', '--force');
    expect(off.stdout).toMatch(/^deactivated jon\.snow@example\.test$/m);
    expect(off.stdout).toMatch(/^Active:\s+no$/m);
    expect(emu.state.orgs.get('acme')?.members.has('jonsnow')).toBe(false);
    const missing = await scim('users', 'replace', id);
    expect(missing.code).toBe(1); // commander: required option
    expect(missing.stderr).toMatch(/required option '--active <true\|false>' not specified/);
  });

  it('errors are one line, and the SCIM token comes only from DOCKERHUB_SCIM_TOKEN', async () => {
    const bad = await scim('users', 'ls', '--filter', 'userName xx "a"');
    expect(bad.stderr).toBe(
      `dockerhub: 400 unsupported filter: userName xx "a" (GET ${emu.url}/v2/scim/2.0/Users?filter=userName+xx+%22a%22&startIndex=1&count=100)\n`,
    );
    const email = await scim('users', 'create', 'nobody');
    expect([email.code, email.stderr]).toEqual([
      2,
      'dockerhub: userName must be an email address, got "nobody"\n',
    ]);
    process.env.DOCKERHUB_SCIM_TOKEN = 'wrong-scim-token-value';
    const wrong = await scim('config');
    delete process.env.DOCKERHUB_SCIM_TOKEN;
    const none = await scim('config');
    process.env.DOCKERHUB_SCIM_TOKEN = SCIM_TOKEN;
    expect([wrong.code, wrong.stderr]).toEqual([
      1,
      `dockerhub: 401 a valid SCIM bearer token is required (GET ${emu.url}/v2/scim/2.0/ServiceProviderConfig)\n`,
    ]);
    expect([none.code, none.stderr]).toEqual([
      2,
      'dockerhub: no SCIM token given; set DOCKERHUB_SCIM_TOKEN (SDK: the token option)\n',
    ]);
  });

  it('never prints the SCIM token or the password', () => {
    const all = outputs.map((o) => o.stdout + o.stderr).join('\n');
    expect(all).not.toContain(SCIM_TOKEN);
    expect(all).not.toContain('wrong-scim-token-value');
    expect(all).not.toContain(SENTINEL);
  });
});
