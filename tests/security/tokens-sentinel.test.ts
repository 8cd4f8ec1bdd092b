/**
 * The built CLI at trace log level against the emulator: the sentinel password and the SCIM token never
 * appear in anything it prints, and a created token's value appears exactly once (its one-time display),
 * whether it is then listed, shown, used to log in, or refused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type BuiltCliRun, runBuiltCli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const SCIM_TOKEN = 'SENTINEL-scim-token-do-not-leak';

let emu: RunningEmulator;
let home: string;
const captured: string[] = [];

function forms(secret: string, user: string): string[] {
  return [
    secret,
    Buffer.from(`${user}:${secret}`).toString('base64'),
    Buffer.from(secret).toString('base64'),
  ];
}

async function dockerhub(args: string[], env: Record<string, string> = {}): Promise<BuiltCliRun> {
  const run = await runBuiltCli(['--hub-url', emu.url, ...args], {
    PATH: process.env.PATH ?? '',
    HOME: home,
    DOCKER_CONFIG: join(home, 'none'),
    DOCKERHUB_LOG_LEVEL: 'trace',
    DOCKER_HUB_USER: 'carol',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKERHUB_SCIM_TOKEN: SCIM_TOKEN,
    ...env,
  });
  captured.push(run.out);
  return run;
}

const count = (value: string) => captured.join('\n').split(value).length - 1;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'dh-token-sentinel-'));
  emu = await startEmulator({
    seed: {
      users: [{ username: 'carol', password: SENTINEL, email: 'carol@example.test' }],
      orgs: [{ name: 'team', members: ['carol'] }],
      scim: { org: 'team', token: SCIM_TOKEN },
    },
  });
});

afterAll(async () => {
  await emu?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('token values and the SCIM token', () => {
  it('appear only in the one-time display, never in logs, listings or errors', async () => {
    const pat = await dockerhub(['--json', 'token', 'create', '--label', 'ci', '--scope', 'repo:read']);
    expect(pat.code).toBe(0);
    expect(pat.out).toContain('"msg":"http"'); // trace logging really was on
    const patValue = (JSON.parse(pat.stdout) as { token: string; uuid: string }).token;
    const patUuid = (JSON.parse(pat.stdout) as { uuid: string }).uuid;
    expect(patValue).toMatch(/^dckr_pat_/);

    const oat = await dockerhub([
      'org-token',
      'create',
      'team',
      '--label',
      'bot',
      '--resource',
      'repo:team/*=repo-pull',
    ]);
    expect(oat.code).toBe(0);
    const oatValue = /^Token:\s+(dckr_oat_\S+)$/m.exec(oat.stdout)?.[1] as string;
    expect(oatValue).toBeTruthy();

    expect((await dockerhub(['token', 'ls'])).code).toBe(0);
    expect((await dockerhub(['--json', 'token', 'show', patUuid])).code).toBe(0);
    expect((await dockerhub(['org-token', 'ls', 'team'])).code).toBe(0);
    // Log in with each token, then with each after deactivation (refused).
    expect((await dockerhub(['whoami'], { DOCKER_HUB_TOKEN: patValue })).code).toBe(0);
    expect(
      (await dockerhub(['audit', 'ls', 'team'], { DOCKER_HUB_USER: 'team', DOCKER_HUB_TOKEN: oatValue }))
        .code,
    ).toBe(0);
    expect((await dockerhub(['token', 'update', patUuid, '--active', 'false'])).code).toBe(0);
    const refused = await dockerhub(['--json', 'token', 'ls'], { DOCKER_HUB_TOKEN: patValue });
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/refused the credentials of carol/);

    expect((await dockerhub(['scim', 'users', 'ls'])).code).toBe(0);
    const wrongScim = await dockerhub(['scim', 'config'], { DOCKERHUB_SCIM_TOKEN: `${SCIM_TOKEN}-wrong` });
    expect(wrongScim.code).toBe(1);
    expect((await dockerhub(['--json', 'scim', 'users', 'show', 'nope'])).code).toBe(1);

    expect(count(patValue)).toBe(1);
    expect(count(oatValue)).toBe(1);
    for (const form of [
      ...forms(SENTINEL, 'carol'),
      ...forms(SCIM_TOKEN, 'team'),
      ...forms(`${SCIM_TOKEN}-wrong`, 'team'),
    ])
      expect(captured.join('\n')).not.toContain(form);
  });
});
