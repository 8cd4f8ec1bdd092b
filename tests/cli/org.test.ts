/** `dockerhub org …` as a user runs it, against the emulator (every request validated by Docker's spec). */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { orgCli, SENTINEL, startOrgEmulator } from '../hub/orgs-fixture.js';

let emu: RunningEmulator;
let dir: string;
const saved = { ...process.env };
const outputs: string[] = [];

beforeAll(async () => {
  emu = await startOrgEmulator();
  dir = await mkdtemp(join(tmpdir(), 'dockerhub-org-'));
  Object.assign(process.env, {
    DOCKER_HUB_USER: 'alice',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
  });
});
afterAll(async () => {
  process.env = saved;
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

const { dh, dhAs } = orgCli(() => emu, outputs);

/** Runs with a terminal that answers the confirmation question. */
async function dhAnswering(answer: boolean, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  const code = await runCli(['--hub-url', emu.url, ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: true,
    confirm: async (q) => {
      questions.push(q);
      return answer;
    },
  });
  outputs.push(stdout, stderr);
  return { code, stdout, stderr, questions };
}

describe('dockerhub org settings', () => {
  it('shows the settings', async () => {
    const res = await dh('org', 'settings', 'show', 'acme');
    expect(res.stdout).toBe(
      [
        'Organization:              acme',
        'Restricted images:         off',
        'Allow official images:     yes',
        'Allow verified publishers: yes',
        '',
      ].join('\n'),
    );
    expect(JSON.parse((await dh('--json', 'org', 'settings', 'show', 'acme')).stdout)).toEqual({
      restricted_images: { enabled: false, allow_official_images: true, allow_verified_publishers: true },
    });
  });

  it('changes them only after confirmation or with --force', async () => {
    const before = emu.state.audit.length;
    const refused = await dh('org', 'settings', 'set', 'acme', '--restricted-images', 'on');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'dockerhub: refusing to change organization settings without confirmation: run in a terminal or pass --force\n',
    );
    const declined = await dhAnswering(false, 'org', 'settings', 'set', 'acme', '--restricted-images', 'on');
    expect(declined.questions).toEqual(['Change the settings of organization acme? [y/N] ']);
    expect(declined.stderr).toBe('dockerhub: cancelled: nothing changed\n');
    expect(emu.state.audit.length).toBe(before);

    const accepted = await dhAnswering(true, 'org', 'settings', 'set', 'acme', '--restricted-images', 'on');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/^updated the settings of acme\n/);
    expect(accepted.stdout).toMatch(/Restricted images:\s+on\n/);
    const forced = await dh('org', 'settings', 'set', 'acme', '--allow-verified', 'off', '--force');
    expect(forced.stdout).toMatch(/Allow verified publishers: no\n/);
    expect(forced.stdout).toMatch(/Restricted images:\s+on\n/);
    expect(emu.state.audit.slice(before).map((a) => a.action)).toEqual([
      'org.settings.update',
      'org.settings.update',
    ]);
  });

  it('checks the flags before asking', async () => {
    const none = await dh('org', 'settings', 'set', 'acme', '--force');
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(
      'dockerhub: nothing to change: give --restricted-images, --allow-official or --allow-verified\n',
    );
    const bad = await dhAnswering(true, 'org', 'settings', 'set', 'acme', '--allow-official', 'maybe');
    expect(bad.questions).toEqual([]);
    expect(bad.stderr).toBe('dockerhub: --allow-official takes on or off, got "maybe"\n');
  });

  it('a member who is not an owner gets a one-line refusal', async () => {
    const res = await dhAs('bob', 'org', 'settings', 'set', 'acme', '--restricted-images', 'off', '--force');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^dockerhub: .*only owners of acme can do this.*\n$/);
    expect(res.stderr.split('\n')).toHaveLength(2);
  });
});

describe('dockerhub org members', () => {
  it('lists members as a table, filtered, or every page as JSON', async () => {
    const res = await dh('org', 'members', 'ls', 'acme');
    const lines = res.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^USERNAME\s+ROLE\s+TEAMS\s+EMAIL\s+JOINED$/);
    expect(lines[2]).toMatch(/^bob\s+Member\s+devs\s+bob@example\.test\s+\d{4}-/);
    expect(lines).toHaveLength(5);
    const editors = await dh('org', 'members', 'ls', 'acme', '--role', 'editor');
    expect(editors.stdout.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/^carol\s+Editor\s+-\s+carol@/),
    ]);
    const json = await dh(
      '--json',
      'org',
      'members',
      'ls',
      'acme',
      '--all',
      '--page-size',
      '1',
      '--search',
      'r',
    );
    expect(JSON.parse(json.stdout).map((m: { username: string }) => m.username)).toEqual(['carol', 'erin']);
    const bad = await dh('org', 'members', 'ls', 'acme', '--role', 'admin');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('dockerhub: unknown role "admin"; valid: owner, editor, member\n');
  });

  it('exports CSV to stdout, or to a file written whole', async () => {
    const stdout = await dh('org', 'members', 'export', 'acme');
    expect(stdout.stdout.split('\r\n')[0]).toBe('Name,Username,Email,Type,Role,Teams,Date Joined');
    const file = join(dir, 'out', 'members.csv');
    const res = await dh('org', 'members', 'export', 'acme', '-o', file);
    expect(res.stdout).toBe(`wrote 4 rows (members and pending invites) of acme to ${file}\n`);
    expect(await readFile(file, 'utf8')).toBe(stdout.stdout);
    expect(await readdir(join(dir, 'out'))).toEqual(['members.csv']);
    const refused = await dhAs('bob', 'org', 'members', 'export', 'acme', '-o', join(dir, 'bob.csv'));
    expect(refused.code).toBe(1);
    expect(await readdir(dir)).toEqual(['out']);
  });

  it('changes a role and removes a member (asks first)', async () => {
    expect((await dh('org', 'members', 'set-role', 'acme', 'bob', 'editor')).stdout).toBe(
      'bob is now editor of acme\n',
    );
    expect((await dh('org', 'members', 'set-role', 'acme', 'bob', 'boss')).stderr).toBe(
      'dockerhub: unknown role "boss"; valid: owner, editor, member\n',
    );
    const refused = await dh('org', 'members', 'rm', 'acme', 'erin');
    expect(refused.stderr).toBe(
      'dockerhub: refusing to remove a member without confirmation: run in a terminal or pass --force\n',
    );
    const asked = await dhAnswering(true, 'org', 'members', 'rm', 'acme', 'erin');
    expect(asked.questions).toEqual(['Remove erin from organization acme? [y/N] ']);
    expect(asked.stdout).toBe('removed erin from acme\n');
    expect(emu.state.orgs.get('acme')?.members.has('erin')).toBe(false);
    expect(emu.state.audit.slice(-2).map((a) => a.action)).toEqual([
      'org.member.update',
      'org.member.remove',
    ]);
  });
});

describe('dockerhub org invites', () => {
  it('sends invites (after a dry run), lists, resends and cancels them', async () => {
    const dry = await dh(
      'org',
      'invites',
      'send',
      'acme',
      '--role',
      'member',
      '--team',
      'devs',
      'dave',
      'bob',
      '--dry-run',
    );
    expect(dry.stdout.split('\n').slice(0, 4)).toEqual([
      'dry run: nobody was invited',
      expect.stringMatching(/^INVITEE\s+STATUS\s+INVITE$/),
      expect.stringMatching(/^dave\s+invited\s+-$/),
      expect.stringMatching(/^bob\s+existing_org_member\s+-$/),
    ]);
    expect(emu.state.orgAdmin.invites.size).toBe(0);
    const sent = await dh(
      '--json',
      'org',
      'invites',
      'send',
      'acme',
      '--role',
      'member',
      'dave',
      'new@example.test',
    );
    const results = JSON.parse(sent.stdout) as Array<{
      invitee: string;
      status: string;
      invite: { id: string };
    }>;
    expect(results.map((r) => [r.invitee, r.status])).toEqual([
      ['dave', 'invited'],
      ['new@example.test', 'invited'],
    ]);
    const id = results[0]?.invite.id as string;
    const ls = await dh('org', 'invites', 'ls', 'acme');
    expect(ls.stdout).toMatch(/^ID\s+INVITEE\s+TEAM\s+INVITED BY\s+CREATED\n/);
    expect(ls.stdout).toContain(`${id}  dave`);
    expect((await dh('org', 'invites', 'resend', id)).stdout).toBe(`resent invite ${id}\n`);
    expect((await dh('org', 'invites', 'cancel', id)).code).toBe(2);
    expect((await dh('org', 'invites', 'cancel', id, '--force')).stdout).toBe(`cancelled invite ${id}\n`);
    expect((await dh('org', 'invites', 'ls', 'acme')).stdout).not.toContain(id);
    expect(emu.state.audit.slice(-4).map((a) => a.action)).toEqual([
      'invite.create',
      'invite.create',
      'invite.resend',
      'invite.cancel',
    ]);
  });

  it('needs a role and valid invitees', async () => {
    expect((await dh('org', 'invites', 'send', 'acme', 'dave')).stderr).toBe(
      'dockerhub: give --role (owner, editor or member)\n',
    );
    expect((await dh('org', 'invites', 'send', 'acme', '--role', 'member', 'not valid!')).stderr).toBe(
      'dockerhub: "not valid!" is neither a Docker ID nor an email address\n',
    );
    await dh('org', 'invites', 'cancel', 'x', '--force');
    expect((await dh('org', 'invites', 'ls', 'nope')).code).toBe(1);
  });
});

describe('secrets', () => {
  it('never prints the password', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const text of outputs) expect(text).not.toContain(SENTINEL);
  });
});
