/** The Hub commands as a user runs them, against the emulator (every request validated by Docker's spec). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { cli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let emu: RunningEmulator;
const saved = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [{ username: 'carol', password: SENTINEL, email: 'carol@example.test' }],
      orgs: [{ name: 'team', members: ['carol'] }],
      repositories: [
        {
          namespace: 'team',
          name: 'one',
          description: 'first repo',
          tags: [{ name: 'v1', size: 2048 }, { name: 'v2' }],
        },
        { namespace: 'team', name: 'two' },
      ],
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

const hub = (...args: string[]) => cli(['--hub-url', emu.url, ...args]);

describe('dockerhub hub commands', () => {
  it('whoami shows the user from the JWT', async () => {
    const res = await hub('whoami');
    expect(res.stdout).toMatch(/User:\s+carol/);
    expect(res.stdout).toMatch(/Credentials from:\s+env:DOCKER_HUB_USER/);
  });

  it('repo ls prints a table; --json --all gives every repository', async () => {
    const text = await hub('repo', 'ls', 'team');
    expect(text.stdout).toMatch(/NAME\s+PRIVATE\s+PULLS/);
    expect(text.stdout).toMatch(/team\/one\s+no\s+0\s+0\s+\S+\s+first repo/);
    const json = await hub('--json', 'repo', 'ls', 'team', '--all', '--page-size', '1');
    expect(JSON.parse(json.stdout).map((r: { name: string }) => r.name)).toEqual(['one', 'two']);
  });

  it('repo create, show and update', async () => {
    expect((await hub('repo', 'create', 'team/three', '--description', 'new', '--private')).stdout).toBe(
      'created team/three (private)\n',
    );
    expect((await hub('repo', 'show', 'team/three')).stdout).toMatch(/Private:\s+yes/);
    expect((await hub('repo', 'update', 'team/three', '--description', 'changed')).stdout).toBe(
      'updated team/three\n',
    );
    expect(JSON.parse((await hub('--json', 'repo', 'show', 'team/three')).stdout).description).toBe(
      'changed',
    );
  });

  it('hub-tag ls and show', async () => {
    expect((await hub('hub-tag', 'ls', 'team/one')).stdout).toMatch(/v1\s+sha256:0+\s+2\.0 kB/);
    expect((await hub('hub-tag', 'show', 'team/one:v2')).stdout).toMatch(/Tag:\s+team\/one:v2/);
  });

  it('deletes only with confirmation or --force', async () => {
    const refused = await hub('hub-tag', 'rm', 'team/one:v1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'dockerhub: refusing to delete without confirmation: run in a terminal or pass --force\n',
    );
    expect((await hub('hub-tag', 'rm', 'team/one:v1', '--force')).stdout).toBe('deleted team/one:v1\n');
    expect((await hub('repo', 'rm', 'team/two', '--force')).stdout).toBe('deleted team/two\n');
    expect((await hub('repo', 'show', 'team/two')).code).toBe(1);
  });

  it('bad arguments are one-line errors before any request', async () => {
    const res = await hub('repo', 'show', 'no-namespace');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('dockerhub: expected NAMESPACE/REPOSITORY, got "no-namespace"\n');
    expect((await hub('repo', 'ls', 'team', '--page-size', '500')).stderr).toBe(
      'dockerhub: --page-size must be an integer from 1 to 100, got "500"\n',
    );
  });

  it('never prints the password, even on refusal', async () => {
    process.env.DOCKER_HUB_TOKEN = `${SENTINEL}-wrong`;
    const res = await hub('repo', 'show', 'team/one');
    process.env.DOCKER_HUB_TOKEN = SENTINEL;
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'dockerhub: Docker Hub refused the credentials of carol (from env:DOCKER_HUB_USER)\n',
    );
    expect(res.stdout + res.stderr).not.toContain(SENTINEL);
  });
});
