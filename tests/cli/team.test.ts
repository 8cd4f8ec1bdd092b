/** `dockerhub team …`, `repo grant` and `repo immutable-tags` as a user runs them, against the emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { orgCli, SENTINEL, startOrgEmulator } from '../hub/orgs-fixture.js';

let emu: RunningEmulator;
const saved = { ...process.env };
const outputs: string[] = [];

beforeAll(async () => {
  emu = await startOrgEmulator();
  Object.assign(process.env, {
    DOCKER_HUB_USER: 'alice',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
  });
});
afterAll(async () => {
  process.env = saved;
  await emu?.stop();
});

const { dh, dhAs } = orgCli(() => emu, outputs);

describe('dockerhub team', () => {
  it('creates, lists, shows, renames (PATCH or PUT) and deletes teams', async () => {
    expect((await dh('team', 'create', 'acme/qa')).stdout).toMatch(/^created team acme\/qa \(id \d+\)\n$/);
    const ls = await dh('team', 'ls', 'acme');
    expect(ls.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^TEAM\s+ID\s+MEMBERS$/),
      expect.stringMatching(/^devs\s+\d+\s+1$/),
      expect.stringMatching(/^qa\s+\d+\s+0$/),
    ]);
    const mine = await dh('--json', 'team', 'ls', 'acme', '--user', 'bob', '--all');
    expect(JSON.parse(mine.stdout).map((t: { name: string }) => t.name)).toEqual(['devs']);
    expect((await dh('team', 'show', 'acme/qa')).stdout).toMatch(
      /^Team:\s+acme\/qa\nID:\s+\d+\nUUID:\s+\S+\nMembers: 0\n$/,
    );
    expect((await dh('team', 'update', 'acme/qa', '--name', 'testers')).stdout).toBe(
      'renamed team acme/qa to acme/testers\n',
    );
    expect((await dh('team', 'update', 'acme/testers', '--name', 'quality', '--replace')).stdout).toBe(
      'renamed team acme/testers to acme/quality\n',
    );
    const refused = await dh('team', 'rm', 'acme/quality');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'dockerhub: refusing to delete a team without confirmation: run in a terminal or pass --force\n',
    );
    expect((await dh('team', 'rm', 'acme/quality', '--force')).stdout).toBe('deleted team acme/quality\n');
    expect((await dh('team', 'show', 'acme/quality')).code).toBe(1);
    expect(emu.state.audit.map((a) => a.action)).toEqual([
      'team.create',
      'team.update',
      'team.update',
      'team.delete',
    ]);
  });

  it('adds, lists and removes team members', async () => {
    expect((await dh('team', 'members', 'add', 'acme/devs', 'carol')).stdout).toBe(
      'added carol to acme/devs\n',
    );
    const ls = await dh('team', 'members', 'ls', 'acme/devs');
    expect(ls.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^USERNAME\s+EMAIL\s+JOINED$/),
      expect.stringMatching(/^bob\s+bob@example\.test\s+\d{4}-/),
      expect.stringMatching(/^carol\s+carol@example\.test\s+\d{4}-/),
    ]);
    const searched = await dh('--json', 'team', 'members', 'ls', 'acme/devs', '--search', 'car', '--all');
    expect(JSON.parse(searched.stdout).map((m: { username: string }) => m.username)).toEqual(['carol']);
    expect((await dh('team', 'members', 'rm', 'acme/devs', 'carol')).code).toBe(2);
    expect((await dh('team', 'members', 'rm', 'acme/devs', 'carol', '-f')).stdout).toBe(
      'removed carol from acme/devs\n',
    );
    const outsider = await dh('team', 'members', 'add', 'acme/devs', 'dave');
    expect(outsider.code).toBe(1);
    expect(outsider.stderr).toMatch(/^dockerhub: 404 member dave of acme not found/);
  });

  it('bad arguments are one-line errors before any request', async () => {
    expect((await dh('team', 'show', 'no-team')).stderr).toBe(
      'dockerhub: expected ORG/TEAM, got "no-team"\n',
    );
    expect((await dh('team', 'update', 'acme/devs')).stderr).toBe(
      'dockerhub: nothing to update: give --name NEW_NAME\n',
    );
    expect((await dh('team', 'ls', 'acme', '--page-size', '0')).stderr).toBe(
      'dockerhub: --page-size must be an integer from 1 to 100, got "0"\n',
    );
    const member = await dhAs('bob', 'team', 'create', 'acme/mine');
    expect(member.code).toBe(1);
    expect(member.stderr).toMatch(/only owners of acme can do this/);
  });
});

describe('dockerhub repo grant and immutable-tags', () => {
  it('grants a team access by name or id', async () => {
    expect((await dh('repo', 'grant', 'acme/app', 'devs', 'write')).stdout).toBe(
      'team devs now has write access to acme/app\n',
    );
    const id = emu.state.orgAdmin.teamsOf('acme').get('devs')?.id as number;
    const json = await dh('--json', 'repo', 'grant', 'acme/app', String(id), 'admin');
    expect(JSON.parse(json.stdout)).toEqual({ group_name: 'devs', permission: 'admin', group_id: id });
    expect((await dh('repo', 'grant', 'acme/app', 'devs', 'owner')).stderr).toBe(
      'dockerhub: PERMISSION must be read, write, admin, got "owner"\n',
    );
    expect((await dh('repo', 'grant', 'acme/app', 'nobody', 'read')).stderr).toMatch(
      /404 team acme\/nobody not found/,
    );
  });

  it('shows, enables with rules, verifies and disables immutable tags', async () => {
    expect((await dh('repo', 'immutable-tags', 'acme/app')).stdout).toBe(
      'Repository:     acme/app\nImmutable tags: off\n',
    );
    const on = await dh(
      'repo',
      'immutable-tags',
      'acme/app',
      '--enable',
      '--rule',
      'v1\\..*',
      '--rule',
      'latest',
    );
    expect(on.stdout).toBe(
      'Repository:     acme/app\nImmutable tags: on (tags matching a rule)\nRules:          v1\\..*  latest\n',
    );
    expect((await dh('repo', 'immutable-tags', 'verify', 'acme/app', 'v.*')).stdout).toBe('v1.0\nv1.1\n');
    expect((await dh('repo', 'immutable-tags', 'verify', 'acme/app', 'v9.*')).stdout).toBe(
      'no tag of acme/app matches v9.*\n',
    );
    const rm = await dh('hub-tag', 'rm', 'acme/app:latest', '--force');
    expect(rm.code).toBe(1);
    expect(rm.stderr).toMatch(/tag latest is immutable and cannot be deleted/);
    // --disable keeps the rules; the tag can go.
    const off = await dh('--json', 'repo', 'immutable-tags', 'acme/app', '--disable');
    expect(JSON.parse(off.stdout)).toEqual({
      repository: 'acme/app',
      enabled: false,
      rules: ['v1\\..*', 'latest'],
    });
    expect((await dh('hub-tag', 'rm', 'acme/app:latest', '--force')).stdout).toBe(
      'deleted acme/app:latest\n',
    );
    expect(emu.state.audit.filter((a) => a.action === 'repo.immutable_tags.update')).toHaveLength(2);
  });

  it('checks rules and flags before sending', async () => {
    const before = emu.state.audit.length;
    expect((await dh('repo', 'immutable-tags', 'acme/app', '--enable', '--disable')).stderr).toBe(
      'dockerhub: give --enable or --disable, not both\n',
    );
    expect((await dh('repo', 'immutable-tags', 'acme/app', '--rule', 'v(?=1)')).stderr).toBe(
      `dockerhub: rule "v(?=1)" uses lookaround, which Docker Hub's regular expressions (RE2) lack\n`,
    );
    expect((await dh('repo', 'immutable-tags', 'verify', 'acme/app', '[')).code).toBe(2);
    // erin is a plain member; bob would pass, as devs was granted admin above.
    const member = await dhAs('erin', 'repo', 'immutable-tags', 'acme/app', '--enable');
    expect(member.stderr).toMatch(/only repository admins/);
    expect(emu.state.audit.length).toBe(before);
  });
});

describe('secrets', () => {
  it('never prints the password', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const text of outputs) expect(text).not.toContain(SENTINEL);
  });
});
