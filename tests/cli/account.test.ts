/**
 * `dockerhub login` / `logout` / `search` / `orgs` as a user runs them, against the emulator, with temp
 * Docker config dirs and the fake credential helper on PATH (never the real ~/.docker). The login is
 * read back by CredentialResolver and by `whoami`, so `docker` and `dockerhub` share it. The sentinel
 * password must appear nowhere but in config.json (as docker writes it) or on the helper's stdin.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountIO } from '../../src/cli/commands/account-program.js';
import { runCli } from '../../src/cli/run.js';
import { CredentialResolver } from '../../src/core/credentials.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const HUB_KEY = 'https://index.docker.io/v1/';
const FIXTURE_BIN = join(import.meta.dirname, '..', 'fixtures', 'bin');
const saved = { ...process.env };
let emu: RunningEmulator;
let work: string;
let helperLog: string;
let helperStore: string;
const captured: string[] = [];

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** Every form the sentinel could leak in: plain, and inside a Basic credential. */
const leakForms = [SENTINEL, b64(`carol:${SENTINEL}`), b64(SENTINEL)];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  prompts: string[];
}

async function cli(
  args: string[],
  opts: { stdin?: string; tty?: boolean; answers?: string[] } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const answers = [...(opts.answers ?? [])];
  const io: AccountIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    stdinIsTTY: opts.tty ?? false,
    readStdin: async () => {
      if (opts.stdin === undefined) throw new Error('stdin was read but the test gave none');
      return opts.stdin;
    },
    prompt: async (question, hidden) => {
      prompts.push(`${question}${hidden ? '(hidden)' : ''}`);
      return answers.shift() ?? '';
    },
  };
  const code = await runCli(['--hub-url', emu.url, ...args], io);
  captured.push(stdout, stderr);
  return { code, stdout, stderr, prompts };
}

async function configDir(name: string, config?: unknown): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  if (config !== undefined) await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  process.env.DOCKER_CONFIG = dir;
  return dir;
}

const readConfig = async (dir: string) => JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
const helperCalls = async () =>
  (await readFile(helperLog, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [{ username: 'carol', password: SENTINEL }],
      orgs: [
        { name: 'team', members: ['carol'] },
        { name: 'alpha', members: ['carol'] },
        { name: 'other', members: [] },
      ],
      repositories: [
        {
          namespace: 'library',
          name: 'redis',
          description: 'in-memory store',
          pull_count: 1_500_000,
          star_count: 9,
        },
        { namespace: 'team', name: 'redis-tools', description: 'x'.repeat(80), pull_count: 42 },
        { namespace: 'team', name: 'hidden-redis', is_private: true },
      ],
    },
  });
  work = await mkdtemp(join(tmpdir(), 'dh-login-'));
  helperLog = join(work, 'helper.log');
  helperStore = join(work, 'helper-store.json');
});

beforeEach(async () => {
  process.env = {
    ...saved,
    PATH: `${FIXTURE_BIN}:${saved.PATH}`,
    HOME: work,
    FAKE_CRED_STORE: helperStore,
    FAKE_CRED_LOG: helperLog,
  };
  for (const k of [
    'DOCKER_HUB_USER',
    'DOCKER_HUB_TOKEN',
    'DOCKERHUB_USERNAME',
    'DOCKERHUB_TOKEN',
    'DOCKERHUB_JWT',
  ])
    delete process.env[k];
  await rm(helperLog, { force: true });
  await writeFile(helperStore, '{}');
});

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('dockerhub login / logout with a plain Docker config', () => {
  it('verifies, writes auths[index.docker.io] atomically (0600, other keys kept), and is read back', async () => {
    const dir = await configDir('plain', { psFormat: 'table', auths: { 'other.io': { auth: b64('o:p') } } });
    const res = await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: `${SENTINEL}\n` });
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toBe(`Login Succeeded as carol (stored in ${join(dir, 'config.json')})\n`);

    const config = await readConfig(dir);
    expect(config.psFormat).toBe('table');
    expect(config.auths['other.io']).toEqual({ auth: b64('o:p') });
    expect(config.auths[HUB_KEY]).toEqual({ auth: b64(`carol:${SENTINEL}`) });
    expect(((await stat(join(dir, 'config.json'))).mode & 0o777).toString(8)).toBe('600');
    expect(await helperCalls()).toEqual([]);

    // Round trip: the SDK's resolver and `whoami` use the stored login.
    const cred = await new CredentialResolver({ env: { DOCKER_CONFIG: dir } }).forHub();
    expect(cred).toMatchObject({ kind: 'basic', username: 'carol', source: 'docker-config' });
    expect(cred.kind === 'basic' && cred.secret.reveal()).toBe(SENTINEL);
    const who = await cli(['whoami']);
    expect(who.stdout).toMatch(/User:\s+carol/);
    expect(who.stdout).toMatch(/Credentials from:\s+docker-config/);

    const out = await cli(['logout']);
    expect(out.stdout).toBe(`Removed login credentials for ${HUB_KEY} (${join(dir, 'config.json')})\n`);
    expect((await readConfig(dir)).auths).toEqual({ 'other.io': { auth: b64('o:p') } });
    expect((await readConfig(dir)).psFormat).toBe('table');
    expect((await cli(['logout'])).stdout).toBe(`Not logged in to ${HUB_KEY}\n`);
    expect((await cli(['whoami'])).stdout).toBe('not logged in (anonymous)\n');
  });

  it('creates the config when there is none; --json reports where the login went', async () => {
    const dir = await configDir('fresh');
    const res = await cli(['--json', 'login', '-u', 'carol', '--password-stdin'], { stdin: SENTINEL });
    expect(JSON.parse(res.stdout)).toEqual({
      username: 'carol',
      serverUrl: HUB_KEY,
      storedIn: join(dir, 'config.json'),
    });
    expect(Object.keys((await readConfig(dir)).auths)).toEqual([HUB_KEY]);
  });
});

describe('dockerhub login / logout with a credential helper', () => {
  it('credsStore: sends {ServerURL, Username, Secret} to `store`, drops a stale inline entry', async () => {
    const dir = await configDir('helper', {
      credsStore: 'test',
      auths: { [HUB_KEY]: { auth: b64('old:stale-password') }, 'other.io': {} },
    });
    const res = await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: `${SENTINEL}\r\n` });
    expect(res.stdout).toBe('Login Succeeded as carol (stored in docker-credential-test)\n');
    expect(res.code).toBe(0);

    const [call, ...rest] = await helperCalls();
    expect(rest).toEqual([]);
    expect(call?.startsWith('store ')).toBe(true);
    expect(JSON.parse(call?.slice('store '.length) ?? '')).toEqual({
      ServerURL: HUB_KEY,
      Username: 'carol',
      Secret: SENTINEL,
    });
    const configText = await readFile(join(dir, 'config.json'), 'utf8');
    for (const form of leakForms) expect(configText).not.toContain(form);
    expect(JSON.parse(configText)).toEqual({ credsStore: 'test', auths: { 'other.io': {} } });

    const cred = await new CredentialResolver({ env: process.env }).forHub();
    expect(cred).toMatchObject({ kind: 'basic', username: 'carol', source: 'credential-helper' });
    expect((await cli(['whoami'])).stdout).toMatch(/Credentials from:\s+credential-helper/);

    await rm(helperLog);
    const out = await cli(['logout']);
    expect(out.stdout).toBe(`Removed login credentials for ${HUB_KEY} (docker-credential-test)\n`);
    expect(await helperCalls()).toEqual([`erase ${HUB_KEY}`]);
    expect(JSON.parse(await readFile(helperStore, 'utf8'))).toEqual({});
    expect((await new CredentialResolver({ env: process.env }).forHub()).kind).toBe('anonymous');
  });

  it('credHelpers for Docker Hub win over credsStore', async () => {
    await configDir('per-host', { credsStore: 'nonexistent', credHelpers: { 'index.docker.io': 'test' } });
    const res = await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: SENTINEL });
    expect(res.stdout).toBe('Login Succeeded as carol (stored in docker-credential-test)\n');
    expect(JSON.parse(await readFile(helperStore, 'utf8'))[HUB_KEY]).toEqual({
      Username: 'carol',
      Secret: SENTINEL,
    });
  });

  it('a helper that cannot run is one line, after verification, without the secret', async () => {
    await configDir('missing-helper', { credsStore: 'nonexistent' });
    const res = await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: SENTINEL });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'dockerhub: credential helper docker-credential-nonexistent could not run: ENOENT\n',
    );
  });
});

describe('dockerhub login refusals', () => {
  it('a wrong password exits 1 with one line and stores nothing', async () => {
    const dir = await configDir('wrong', { credsStore: 'test' });
    const before = await readFile(join(dir, 'config.json'), 'utf8');
    const res = await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: `${SENTINEL}-wrong` });
    expect(res).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'dockerhub: login failed: Docker Hub refused the credentials of carol\n',
    });
    expect(await helperCalls()).toEqual([]);
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe(before);

    const plain = await configDir('wrong-plain');
    await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: `${SENTINEL}-wrong` });
    await expect(stat(join(plain, 'config.json'))).rejects.toThrow(/ENOENT/);
  });

  it('never takes the password as an argument', async () => {
    await configDir('argv');
    for (const args of [['--password', SENTINEL], [`--password=${SENTINEL}`], ['-p', SENTINEL]]) {
      const res = await cli(['login', '-u', 'carol', ...args]);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(
        'dockerhub: --password is refused: a password argument is visible to other users and kept in shell history; use --password-stdin or the prompt\n',
      );
    }
    expect(await helperCalls()).toEqual([]);
  });

  it('without a terminal it needs -u and --password-stdin; an empty password is refused', async () => {
    await configDir('no-tty');
    expect((await cli(['login', '--password-stdin'], { stdin: SENTINEL })).stderr).toBe(
      'dockerhub: give your Docker Hub username with -u USERNAME\n',
    );
    const noPassword = await cli(['login', '-u', 'carol']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toBe(
      'dockerhub: a password is needed: pipe it with --password-stdin, or run in a terminal to be asked\n',
    );
    expect((await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: '\n' })).stderr).toBe(
      'dockerhub: the password (or access token) is empty\n',
    );
  });

  it('on a terminal it asks, the password without echo; --no-store only verifies', async () => {
    const dir = await configDir('tty');
    const res = await cli(['login', '--no-store'], { tty: true, answers: ['carol', SENTINEL] });
    expect(res.prompts).toEqual(['Username: ', 'Password: (hidden)']);
    expect(res.stdout).toBe('Login Succeeded as carol (verified only, not stored)\n');
    await expect(stat(join(dir, 'config.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('dockerhub search (undocumented endpoint)', () => {
  it('prints NAME/STARS/PULLS/OFFICIAL/DESCRIPTION for public repositories', async () => {
    await configDir('search');
    const res = await cli(['search', 'redis']);
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STARS\s+PULLS\s+OFFICIAL\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(/^redis\s+9\s+1M\+\s+\[OK\]\s+in-memory store$/);
    expect(lines[2]).toMatch(/^team\/redis-tools\s+0\s+42\s+x{59}…$/);
    expect(lines).toHaveLength(3);
  });

  it('--official, --limit, --type and --json', async () => {
    await configDir('search2');
    expect((await cli(['search', 'redis', '--official'])).stdout).not.toContain('team/redis-tools');
    const limited = JSON.parse((await cli(['--json', 'search', 'redis', '--limit', '1'])).stdout);
    expect(limited.map((r: { name: string }) => r.name)).toEqual(['redis']);
    expect(limited[0].short_description).toBe('in-memory store');
    expect(JSON.parse((await cli(['--json', 'search', 'redis', '--type', 'plugin'])).stdout)).toEqual([]);
    const bad = await cli(['search', 'redis', '--limit', '0']);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'dockerhub: --limit must be an integer from 1 to 2500, got "0"\n',
    });
    expect((await cli(['search', 'redis', '--type', 'model'])).code).not.toBe(0);
  });
});

describe('dockerhub orgs (undocumented endpoint)', () => {
  it("lists the logged-in user's organizations, with the stored login", async () => {
    await configDir('orgs');
    await cli(['login', '-u', 'carol', '--password-stdin'], { stdin: SENTINEL });
    const res = await cli(['orgs']);
    expect(res.stdout).toMatch(
      /^ORGANIZATION\s+FULL NAME\s+ROLE\nalpha\s+alpha\s+member\nteam\s+team\s+member\n$/,
    );
    const all = JSON.parse((await cli(['--json', 'orgs', '--all', '--page-size', '1'])).stdout);
    expect(all.map((o: { orgname: string }) => o.orgname)).toEqual(['alpha', 'team']);
    expect((await cli(['orgs', '--page-size', '101'])).stderr).toBe(
      'dockerhub: --page-size must be an integer from 1 to 100, got "101"\n',
    );
  });

  it('needs a login', async () => {
    await configDir('orgs-anonymous');
    const res = await cli(['orgs']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^dockerhub: 401 authentication required/);
  });
});

describe('sentinel', () => {
  it('never appeared in anything the CLI printed, nor in the emulator audit log', () => {
    expect(captured.length).toBeGreaterThan(20);
    for (const text of captured) for (const form of leakForms) expect(text).not.toContain(form);
    const audit = JSON.stringify(emu.state.audit);
    for (const form of leakForms) expect(audit).not.toContain(form);
  });
});
