/**
 * `dockerhub jwt` as scripts use it, against the emulator: stdout holds the token and a newline only, the
 * token works as a bearer (DOCKERHUB_JWT), the deprecated login and its two-factor step run with --legacy
 * and --otp, and bad input is refused before any request. The sentinel password is never printed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { decodeJwt } from '../../src/hub/index.js';
import { type CliRun, cli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const TWO_FACTOR_CODE = '246810';
const JWT_LINE = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;
let emu: RunningEmulator;
const saved = { ...process.env };
const outputs: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'carol', password: SENTINEL },
        { username: 'bob', password: SENTINEL, twoFactorCode: TWO_FACTOR_CODE },
      ],
      orgs: [{ name: 'team', members: ['carol', 'bob'] }],
      repositories: [{ namespace: 'team', name: 'secret', is_private: true }],
    },
  });
});

beforeEach(() => {
  process.env = { ...saved, DOCKER_CONFIG: '/nonexistent' };
  for (const name of [
    'DOCKERHUB_JWT',
    'DOCKER_HUB_USER',
    'DOCKER_HUB_TOKEN',
    'DOCKERHUB_USERNAME',
    'DOCKERHUB_TOKEN',
  ])
    delete process.env[name];
  emu.operationsServed.clear();
});

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
  expect(outputs.length).toBeGreaterThan(0);
  for (const out of outputs) expect(out).not.toContain(SENTINEL);
});

const loginAs = (user: string, password = SENTINEL) =>
  Object.assign(process.env, { DOCKER_HUB_USER: user, DOCKER_HUB_TOKEN: password });

async function dockerhub(...args: string[]): Promise<CliRun> {
  const res = await cli(['--hub-url', emu.url, ...args]);
  outputs.push(res.stdout, res.stderr);
  return res;
}

const usernameIn = (token: string) => decodeJwt(token)['https://hub.docker.com']?.username;

/** The printed token, used the way a script would: as DOCKERHUB_JWT, with no other credentials. */
async function usedAsBearer(stdout: string) {
  process.env = { ...saved, DOCKER_CONFIG: '/nonexistent', DOCKERHUB_JWT: stdout.trimEnd() };
  delete process.env.DOCKER_HUB_USER;
  delete process.env.DOCKER_HUB_TOKEN;
  emu.operationsServed.clear();
  const who = await dockerhub('whoami');
  const repo = await dockerhub('--json', 'repo', 'show', 'team/secret');
  return {
    who: who.stdout,
    privateRepo: repo.code === 0 ? JSON.parse(repo.stdout).name : repo.stderr,
    minted: emu.operationsServed.has('AuthCreateAccessToken'),
  };
}

describe('dockerhub jwt', () => {
  it('prints only the JWT from POST /v2/auth/token; the emulator accepts it as a bearer', async () => {
    loginAs('carol');
    const res = await dockerhub('jwt');
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(JWT_LINE);
    expect(usernameIn(res.stdout.trimEnd())).toBe('carol');
    expect([...emu.operationsServed]).toEqual(['AuthCreateAccessToken']);

    const use = await usedAsBearer(res.stdout);
    expect(use.who).toMatch(/User:\s+carol\n/);
    expect(use.who).toMatch(/Credentials from:\s+env:DOCKERHUB_JWT/);
    expect(use.privateRepo).toBe('secret');
    expect(use.minted).toBe(false);
  });

  it('--json gives the token and its expiry decoded from exp', async () => {
    loginAs('carol');
    const before = Date.now();
    const res = await dockerhub('--json', 'jwt');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { token: string; expires_at: string };
    expect(Object.keys(out)).toEqual(['token', 'expires_at']);
    expect(out.expires_at).toBe(new Date((decodeJwt(out.token).exp ?? 0) * 1000).toISOString());
    // The emulator's tokens live 10 minutes, as Docker documents for POST /v2/auth/token.
    const ttl = Date.parse(out.expires_at) - before;
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(601_000);
  });

  it('--legacy logs in with the deprecated POST /v2/users/login', async () => {
    loginAs('carol');
    const res = await dockerhub('jwt', '--legacy');
    expect([res.code, res.stderr]).toEqual([0, '']);
    expect(res.stdout).toMatch(JWT_LINE);
    expect(usernameIn(res.stdout.trimEnd())).toBe('carol');
    expect([...emu.operationsServed]).toEqual(['PostUsersLogin']);
    expect((await usedAsBearer(res.stdout)).privateRepo).toBe('secret');
  });

  it('--legacy on a 2FA account without --otp: one line asking for it, no token printed', async () => {
    loginAs('bob');
    const res = await dockerhub('jwt', '--legacy');
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'dockerhub: the Docker Hub account bob has two-factor authentication: run again with --otp CODE\n',
    });
    expect([...emu.operationsServed]).toEqual(['PostUsersLogin']);
  });

  it('--legacy --otp completes the two-factor login with POST /v2/users/2fa-login', async () => {
    loginAs('bob');
    const res = await dockerhub('--json', 'jwt', '--legacy', '--otp', TWO_FACTOR_CODE);
    expect([res.code, res.stderr]).toEqual([0, '']);
    const out = JSON.parse(res.stdout) as { token: string; expires_at: string };
    expect(usernameIn(out.token)).toBe('bob');
    expect(out.expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect([...emu.operationsServed].sort()).toEqual(['PostUsers2FALogin', 'PostUsersLogin']);
    const use = await usedAsBearer(`${out.token}\n`);
    expect(use.who).toMatch(/User:\s+bob\n/);
    expect(use.privateRepo).toBe('secret');
  });

  it('a wrong code is refused in one line', async () => {
    loginAs('bob');
    const res = await dockerhub('jwt', '--legacy', '--otp', '000000');
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr: 'dockerhub: Docker Hub refused the two-factor code\n',
    });
  });

  it('a refused password is one line naming the user; the password never appears', async () => {
    loginAs('carol', `${SENTINEL}-wrong`);
    for (const args of [['jwt'], ['jwt', '--legacy'], ['--json', 'jwt']]) {
      const res = await dockerhub(...args);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/refused the credentials of carol/);
    }
  });

  it('anonymous: one line saying how to give credentials', async () => {
    const res = await dockerhub('jwt');
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'dockerhub: no Docker Hub credentials: set DOCKER_HUB_USER and DOCKER_HUB_TOKEN, or run dockerhub login\n',
    });
    expect(emu.operationsServed.size).toBe(0);
  });

  it('bad input is a usage error (2) before any request', async () => {
    loginAs('bob');
    const cases: Array<[string[], string]> = [
      [['--otp', TWO_FACTOR_CODE], '--otp completes the two-factor step of --legacy'],
      [['--legacy', '--otp', '12345'], '--otp takes the 6 to 8 digit code from your authenticator app'],
      [['--legacy', '--otp', '123456789'], '--otp takes the 6 to 8 digit code'],
      [['--legacy', '--otp', '12345a'], '--otp takes the 6 to 8 digit code'],
    ];
    for (const [args, message] of cases) {
      const res = await dockerhub('jwt', ...args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(new RegExp(`^dockerhub: ${message.replace(/[-]/g, '\\-')}.*\\n$`));
    }
    // 8 digits are a valid TOTP length: accepted here, then refused by the server as the wrong code.
    expect((await dockerhub('jwt', '--legacy', '--otp', '12345678')).stderr).toBe(
      'dockerhub: Docker Hub refused the two-factor code\n',
    );
    expect([...emu.operationsServed].sort()).toEqual(['PostUsers2FALogin', 'PostUsersLogin']);
  });

  it('--legacy needs a username and password: a DOCKERHUB_JWT is refused before any request', async () => {
    process.env.DOCKERHUB_JWT = 'a.b.c';
    const res = await dockerhub('jwt', '--legacy');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'dockerhub: --legacy logs in with a username and a password or personal access token; the credentials (from env:DOCKERHUB_JWT) are a token\n',
    );
    expect(emu.operationsServed.size).toBe(0);
  });

  it('a DOCKERHUB_JWT is printed as is; expires_at is null when it is not a readable JWT', async () => {
    process.env.DOCKERHUB_JWT = 'opaque-token';
    const res = await dockerhub('--json', 'jwt');
    expect([res.code, JSON.parse(res.stdout)]).toEqual([0, { token: 'opaque-token', expires_at: null }]);
  });

  it('--help warns that the token is a credential', async () => {
    const help = (await dockerhub('jwt', '--help')).stdout;
    expect(help).toContain('The token is a credential');
    expect(help).toContain('--legacy');
    expect(help).toContain('--otp <code>');
  });
});
