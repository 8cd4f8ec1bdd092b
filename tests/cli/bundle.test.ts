import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { runBuiltCli } from '../helpers/cli.js';
import { fakeDigest, SENTINEL, scoutSeed } from '../helpers/scout-seed.js';

const V1 = fakeDigest('bundle v1');
let emu: RunningEmulator;

const run = (args: string[], env: Record<string, string> = {}) =>
  runBuiltCli(args, {
    PATH: process.env.PATH ?? '',
    HOME: '/nonexistent',
    DOCKER_CONFIG: '/nonexistent',
    ...env,
  });

beforeAll(async () => {
  const seed = scoutSeed({ appV1: V1, appV2: fakeDigest('bundle v2') });
  emu = await startEmulator({ seed: { ...seed, repositories: [{ namespace: 'team', name: 'app' }] } });
});
afterAll(async () => emu?.stop());

describe('the bundled executable', () => {
  it('prints its version', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('runs the offline demo on the built-in registry', async () => {
    const res = await run(['demo', '--registry', 'builtin']);
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(
      expect.arrayContaining(['start', 'login', 'create', 'push', 'hub-tags', 'inspect', 'delete', 'stop']),
    );
    expect(res.stdout).toMatch(/built-in registry/);
  }, 60_000);

  it('talks to the Hub API and Scout (GraphQL) of the emulator', async () => {
    const env = { DOCKER_HUB_USER: 'carol', DOCKER_HUB_TOKEN: SENTINEL, DOCKERHUB_SCOUT_URL: emu.url };
    const repos = await run(['--hub-url', emu.url, '--json', 'repo', 'ls', 'team'], env);
    expect(repos.code).toBe(0);
    expect(JSON.parse(repos.stdout).map((r: { name: string }) => r.name)).toEqual(['app']);
    const summary = await run(['--hub-url', emu.url, '--json', 'scout', 'summary', V1, '--org', 'team'], env);
    expect(summary.code).toBe(0);
    expect(JSON.parse(summary.stdout).vulnerabilities.total).toBe(9);
    expect(repos.stdout + repos.stderr + summary.stdout + summary.stderr).not.toContain(SENTINEL);
  });
});
