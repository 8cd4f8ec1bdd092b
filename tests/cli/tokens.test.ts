/**
 * Token, org-token and audit commands as a user runs them, against the emulator. A created token's value
 * is printed exactly once; the password and token values never appear anywhere else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type CliRun, cli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;
const saved = { ...process.env };
const outputs: CliRun[] = [];
const oneTime: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'carol', password: SENTINEL },
        { username: 'dan', password: SENTINEL },
      ],
      orgs: [{ name: 'team', members: ['carol'] }],
    },
  });
  Object.assign(process.env, {
    DOCKER_HUB_USER: 'carol',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
  });
});

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
});

const hub = async (...args: string[]) => {
  const res = await cli(['--hub-url', emu.url, ...args]);
  outputs.push(res);
  return res;
};

/** How often a value appears in everything the CLI printed so far. */
const occurrences = (value: string) =>
  outputs
    .map((o) => o.stdout + o.stderr)
    .join('\n')
    .split(value).length - 1;

describe('dockerhub token', () => {
  let uuid = '';

  it('create prints the value once with a warning, and show/ls never do', async () => {
    const res = await hub(
      'token',
      'create',
      '--label',
      'laptop',
      '--scope',
      'repo:read',
      '--expires',
      '2099-12-31',
    );
    expect(res.code).toBe(0);
    const value = /^Token:\s+(dckr_pat_\S+)$/m.exec(res.stdout)?.[1] as string;
    expect(value).toBeTruthy();
    oneTime.push(value);
    uuid = /^UUID:\s+(\S+)$/m.exec(res.stdout)?.[1] as string;
    expect(res.stdout).toMatch(/^Label:\s+laptop$/m);
    expect(res.stdout).toMatch(/^Expires:\s+2099-12-31T00:00:00.000Z$/m);
    expect(res.stderr).toBe('Store this token now: Docker Hub will not show it again.\n');

    const shown = await hub('token', 'show', uuid);
    expect(shown.stdout).toMatch(/^Scopes:\s+repo:read$/m);
    expect(shown.stdout).toMatch(/^Active:\s+yes$/m);
    const listed = await hub('token', 'ls');
    expect(listed.stdout).toMatch(/^UUID\s+LABEL\s+SCOPES\s+ACTIVE\s+LAST USED\s+EXPIRES$/m);
    expect(listed.stdout).toContain(`${uuid}  laptop  repo:read  yes     never`);
    expect(occurrences(value)).toBe(1);
  });

  it('create --json has the value once, in the JSON', async () => {
    const res = await hub('--json', 'token', 'create', '--label', 'ci', '--scope', 'repo:write');
    const data = JSON.parse(res.stdout) as { token: string; token_label: string; scopes: string[] };
    expect(data).toMatchObject({ token_label: 'ci', scopes: ['repo:write'] });
    expect(data.token).toMatch(/^dckr_pat_/);
    oneTime.push(data.token);
    expect(occurrences(data.token)).toBe(1);
    const all = JSON.parse((await hub('--json', 'token', 'ls', '--all', '--page-size', '1')).stdout);
    expect(all.map((t: { token_label: string }) => t.token_label).sort()).toEqual(['ci', 'laptop']);
    expect(occurrences(data.token)).toBe(1);
  });

  it('update relabels and deactivates; bad values are usage errors', async () => {
    const res = await hub('token', 'update', uuid, '--label', 'old laptop', '--active', 'false');
    expect(res.stdout).toMatch(new RegExp(`^updated token ${uuid}$`, 'm'));
    expect(res.stdout).toMatch(/^Active:\s+no$/m);
    const bad = await hub('token', 'update', uuid, '--active', 'maybe');
    expect([bad.code, bad.stderr]).toEqual([2, 'dockerhub: --active must be true or false, got "maybe"\n']);
    const none = await hub('token', 'update', uuid);
    expect(none.stderr).toBe('dockerhub: nothing to update: give --label and/or --active true|false\n');
    const scope = await hub('token', 'create', '--label', 'x', '--scope', 'repo:everything');
    expect([scope.code, scope.stderr]).toEqual([
      2,
      'dockerhub: unknown scope "repo:everything"; valid: repo:admin, repo:write, repo:read, repo:public_read\n',
    ]);
    const date = await hub('token', 'create', '--label', 'x', '--scope', 'repo:read', '--expires', 'soon');
    expect(date.stderr).toBe(
      'dockerhub: --expires "soon" is not a date or date-time (e.g. 2025-01-31T12:00:00Z)\n',
    );
  });

  it('rm asks first, or takes --force', async () => {
    const refused = await hub('token', 'rm', uuid);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      'dockerhub: refusing to delete a token without confirmation: run in a terminal or pass --force\n',
    ]);
    expect((await hub('token', 'rm', uuid, '--force')).stdout).toBe(`deleted token ${uuid}\n`);
    const gone = await hub('token', 'show', uuid);
    expect([gone.code, gone.stderr]).toEqual([
      1,
      `dockerhub: 404 access token not found (GET ${emu.url}/v2/access-tokens/${uuid})\n`,
    ]);
  });
});

describe('dockerhub org-token', () => {
  let id = '';
  let value = '';

  it('create takes resources, prints the value once; the token logs in as the org', async () => {
    const res = await hub(
      'org-token',
      'create',
      'team',
      '--label',
      'deploy',
      '--resource',
      'repo:team/*=repo-pull,repo-push',
      '--resource',
      'org:team=member-read',
    );
    expect(res.code).toBe(0);
    value = /^Token:\s+(dckr_oat_\S+)$/m.exec(res.stdout)?.[1] as string;
    id = /^ID:\s+(\S+)$/m.exec(res.stdout)?.[1] as string;
    oneTime.push(value);
    expect(res.stdout).toMatch(
      /^Resources:\s+TYPE_REPO team\/\* \(repo-pull, repo-push\); TYPE_ORG team \(member-read\)$/m,
    );
    expect(res.stderr).toBe('Store this token now: Docker Hub will not show it again.\n');
    // Log in as the organization with it.
    process.env.DOCKER_HUB_USER = 'team';
    process.env.DOCKER_HUB_TOKEN = value;
    const who = await cli(['--hub-url', emu.url, 'whoami']);
    process.env.DOCKER_HUB_USER = 'carol';
    process.env.DOCKER_HUB_TOKEN = SENTINEL;
    expect(who.stdout).toMatch(/^User:\s+team$/m);
    expect(who.stdout + who.stderr).not.toContain(value);
    expect(occurrences(value)).toBe(1);
  });

  it('ls, show and update never print the value', async () => {
    expect((await hub('org-token', 'ls', 'team')).stdout).toMatch(
      new RegExp(`^${id}\\s+deploy\\s+yes\\s+carol\\s+\\S+\\s+never$`, 'm'),
    );
    const shown = await hub('org-token', 'show', 'team', id);
    expect(shown.stdout).toMatch(/^Last used:\s+20\d\d-/m);
    const updated = await hub(
      'org-token',
      'update',
      'team',
      id,
      '--active',
      'false',
      '--resource',
      'repo:team/app=repo-pull',
    );
    expect(updated.stdout).toMatch(/^Active:\s+no$/m);
    expect(updated.stdout).toMatch(/^Resources:\s+TYPE_REPO team\/app \(repo-pull\)$/m);
    expect(occurrences(value)).toBe(1);
  });

  it('refuses bad resources before any request, and non-members', async () => {
    const before = emu.state.audit.length;
    const shape = await hub('org-token', 'create', 'team', '--label', 'x', '--resource', 'team/*');
    expect([shape.code, shape.stderr]).toEqual([
      2,
      'dockerhub: --resource must look like repo:ORG/REPO=SCOPE[,SCOPE] or org:ORG=SCOPE, got "team/*"\n',
    ]);
    const type = await hub('org-token', 'create', 'team', '--label', 'x', '--resource', 'team:team=x');
    expect(type.stderr).toBe('dockerhub: unknown resource type "TEAM"; valid: TYPE_REPO, TYPE_ORG\n');
    const none = await hub('org-token', 'create', 'team', '--label', 'x');
    expect(none.stderr).toBe(
      'dockerhub: give at least one resource (type, path and scopes) the token may access\n',
    );
    expect(emu.state.audit.length).toBe(before);
    process.env.DOCKER_HUB_USER = 'dan';
    const denied = await hub('org-token', 'ls', 'team');
    process.env.DOCKER_HUB_USER = 'carol';
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^dockerhub: 403 only members of team may manage its access tokens/);
  });

  it('rm asks first, or takes --force', async () => {
    expect((await hub('org-token', 'rm', 'team', id)).code).toBe(2);
    expect((await hub('org-token', 'rm', 'team', id, '-f')).stdout).toBe(`deleted token ${id} of team\n`);
  });
});

describe('dockerhub audit', () => {
  it('ls shows events newest first, filterable', async () => {
    const res = await hub('audit', 'ls', 'team');
    expect(res.stdout.split('\n')[0]).toMatch(/^TIME\s+ACTION\s+ACTOR\s+NAME\s+DESCRIPTION$/);
    const actions = res.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[1]);
    expect(actions).toEqual([
      'org.access_token.delete',
      'org.access_token.update',
      'org.access_token.create',
    ]);
    const only = await hub('--json', 'audit', 'ls', 'team', '--action', 'org.access_token.create', '--all');
    expect(JSON.parse(only.stdout)).toMatchObject([{ account: 'team', actor: 'carol', name: 'team' }]);
    const mine = await hub('--json', 'audit', 'ls', 'carol', '--actor', 'carol', '--from', '2020-01-01');
    expect(JSON.parse(mine.stdout).map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['pat.create', 'pat.update', 'pat.delete']),
    );
    const named = await hub(
      '--json',
      'audit',
      'ls',
      'team',
      '--name',
      'team',
      '--to',
      '2099-01-01',
      '--page-size',
      '2',
      '--all',
    );
    expect(JSON.parse(named.stdout)).toHaveLength(3);
    const bad = await hub('audit', 'ls', 'team', '--from', 'last tuesday');
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'dockerhub: from "last tuesday" is not a date or date-time (e.g. 2025-01-31T12:00:00Z)\n',
    ]);
  });

  it('actions lists full action names', async () => {
    const res = await hub('audit', 'actions', 'team');
    expect(res.stdout).toMatch(/^org\.access_token\.create\s+Organization\s+Access token created$/m);
    expect(res.stdout).toMatch(/^repo\.create\s+Repository\s+Repository created$/m);
  });
});

describe('secrets', () => {
  it('the password never appears; each token value appeared exactly once', () => {
    expect(occurrences(SENTINEL)).toBe(0);
    expect(oneTime).toHaveLength(3);
    for (const value of oneTime) expect(occurrences(value)).toBe(1);
  });
});
