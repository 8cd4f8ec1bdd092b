/**
 * The built CLI's `login`, as a separate process reading the password from a real pipe, at trace log
 * level: the sentinel password reaches config.json (as docker writes it) and nothing the process prints,
 * on success, on refusal, and when given on the command line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runBuiltCli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const forms = (secret: string) => [
  secret,
  Buffer.from(`carol:${secret}`).toString('base64'),
  Buffer.from(secret).toString('base64'),
];

let emu: RunningEmulator;
let work: string;

const dockerhub = (args: string[], stdin: string) =>
  runBuiltCli(
    ['--hub-url', emu.url, ...args],
    { PATH: process.env.PATH ?? '', HOME: work, DOCKER_CONFIG: work, DOCKERHUB_LOG_LEVEL: 'trace' },
    stdin,
  );

beforeAll(async () => {
  emu = await startEmulator({ seed: { users: [{ username: 'carol', password: SENTINEL }] } });
  work = await mkdtemp(join(tmpdir(), 'dh-login-sentinel-'));
});
afterAll(async () => {
  await emu?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('login sentinel (built CLI, real stdin)', () => {
  it('stores the login from a pipe and prints no secret, on success or refusal', async () => {
    const refused = await dockerhub(['login', '-u', 'carol', '--password-stdin'], `${SENTINEL}-wrong\n`);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('login failed: Docker Hub refused the credentials of carol');
    const argv = await dockerhub(['login', '-u', 'carol', '--password', SENTINEL], '');
    expect(argv.code).toBe(2);
    const ok = await dockerhub(['login', '-u', 'carol', '--password-stdin'], `${SENTINEL}\n`);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('Login Succeeded as carol');
    expect(ok.out).toContain('"msg":"http"'); // trace logging really was on
    const config = JSON.parse(await readFile(join(work, 'config.json'), 'utf8'));
    expect(config.auths['https://index.docker.io/v1/'].auth).toBe(
      Buffer.from(`carol:${SENTINEL}`).toString('base64'),
    );
    const who = await dockerhub(['whoami'], '');
    expect(who.out).toMatch(/Credentials from:\s+docker-config/);
    for (const { out } of [refused, argv, ok, who])
      for (const form of [...forms(SENTINEL), ...forms(`${SENTINEL}-wrong`)]) expect(out).not.toContain(form);
  });
});
