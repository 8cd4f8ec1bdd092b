/**
 * `dockerhub repo exists` and `dockerhub hub-tag exists` as scripts use them, against the emulator: the
 * answer is printed (yes/no, or JSON) and is also the exit status (0 yes, 1 no), with nothing on stderr.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type CliRun, cli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const CHECK_TAGS = 'HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags';
const CHECK_TAG = `${CHECK_TAGS}/{tag}`;
let emu: RunningEmulator;
const saved = { ...process.env };
const outputs: string[] = [];

beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      users: [
        { username: 'carol', password: SENTINEL },
        { username: 'dave', password: SENTINEL },
      ],
      orgs: [
        { name: 'team', members: ['carol'] },
        { name: 'other', members: ['dave'] },
      ],
      repositories: [
        { namespace: 'team', name: 'app', tags: [{ name: 'v1' }, { name: 'latest' }] },
        { namespace: 'team', name: 'empty' },
        { namespace: 'other', name: 'hidden', is_private: true, tags: [{ name: 'v1' }] },
      ],
    },
  });
  Object.assign(process.env, {
    DOCKER_HUB_USER: 'carol',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
  });
});

beforeEach(() => emu.operationsServed.clear());

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
  for (const out of outputs) expect(out).not.toContain(SENTINEL);
});

async function hub(...args: string[]): Promise<CliRun> {
  const res = await cli(['--hub-url', emu.url, ...args]);
  outputs.push(res.stdout, res.stderr);
  return res;
}

/** The documented operations the commands reached, beyond minting their JWT. */
const reached = () => [...emu.operationsServed].filter((op) => op !== 'AuthCreateAccessToken');
const answered = (res: CliRun) => ({ code: res.code, stdout: res.stdout, stderr: res.stderr });

describe('dockerhub repo exists', () => {
  it('prints yes and exits 0 for a repository, with one HEAD (CheckRepository)', async () => {
    expect(answered(await hub('repo', 'exists', 'team/app'))).toEqual({
      code: 0,
      stdout: 'yes\n',
      stderr: '',
    });
    expect(reached()).toEqual(['CheckRepository']);
  });

  it('prints no and exits 1, without an error, for a missing or invisible repository', async () => {
    expect(answered(await hub('repo', 'exists', 'team/nope'))).toEqual({
      code: 1,
      stdout: 'no\n',
      stderr: '',
    });
    // Private to an organization carol is not in: Docker Hub answers 404, so it does not exist for her.
    expect((await hub('repo', 'exists', 'other/hidden')).code).toBe(1);
  });

  it('--json prints { exists } with the same exit status', async () => {
    const yes = await hub('--json', 'repo', 'exists', 'team/empty');
    expect([yes.code, JSON.parse(yes.stdout), yes.stderr]).toEqual([0, { exists: true }, '']);
    const no = await hub('--json', 'repo', 'exists', 'team/nope');
    expect([no.code, JSON.parse(no.stdout), no.stderr]).toEqual([1, { exists: false }, '']);
  });

  it('a malformed name is a usage error (2) before any request, distinct from "no"', async () => {
    const res = await hub('repo', 'exists', 'app');
    expect(answered(res)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'dockerhub: expected NAMESPACE/REPOSITORY, got "app"\n',
    });
    expect(emu.operationsServed.size).toBe(0);
  });

  it('refused credentials are an error on stderr, not a "no"', async () => {
    process.env.DOCKER_HUB_TOKEN = `${SENTINEL}-wrong`;
    const res = await hub('repo', 'exists', 'team/app');
    process.env.DOCKER_HUB_TOKEN = SENTINEL;
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(
      'dockerhub: Docker Hub refused the credentials of carol (from env:DOCKER_HUB_USER)\n',
    );
  });
});

describe('dockerhub hub-tag exists', () => {
  it('with a tag: yes (0) or no (1) from HEAD …/tags/{tag}', async () => {
    expect(answered(await hub('hub-tag', 'exists', 'team/app:v1'))).toEqual({
      code: 0,
      stdout: 'yes\n',
      stderr: '',
    });
    expect(answered(await hub('hub-tag', 'exists', 'team/app:v2'))).toEqual({
      code: 1,
      stdout: 'no\n',
      stderr: '',
    });
    expect((await hub('hub-tag', 'exists', 'team/nope:v1')).code).toBe(1);
    expect(reached()).toEqual([CHECK_TAG]);
  });

  it('without a tag: whether the repository has any tag, from HEAD …/tags', async () => {
    expect(answered(await hub('hub-tag', 'exists', 'team/app'))).toEqual({
      code: 0,
      stdout: 'yes\n',
      stderr: '',
    });
    expect(answered(await hub('hub-tag', 'exists', 'team/empty'))).toEqual({
      code: 1,
      stdout: 'no\n',
      stderr: '',
    });
    expect(reached()).toEqual([CHECK_TAGS]);
  });

  it('--json prints { exists }', async () => {
    const yes = await hub('--json', 'hub-tag', 'exists', 'team/app:latest');
    expect([yes.code, JSON.parse(yes.stdout)]).toEqual([0, { exists: true }]);
    const no = await hub('--json', 'hub-tag', 'exists', 'team/empty');
    expect([no.code, JSON.parse(no.stdout), no.stderr]).toEqual([1, { exists: false }, '']);
  });

  it('the exit status follows a deletion', async () => {
    expect((await hub('hub-tag', 'rm', 'team/app:v1', '--force')).code).toBe(0);
    expect(answered(await hub('hub-tag', 'exists', 'team/app:v1'))).toEqual({
      code: 1,
      stdout: 'no\n',
      stderr: '',
    });
  });

  it('--help says the exit status is the answer', async () => {
    const help = await hub('hub-tag', 'exists', '--help');
    expect(help.stdout).toContain('Exit status: 0 when the tag (without :TAG, any tag) exists, 1 when not');
    expect(help.stdout).toContain('if dockerhub hub-tag exists acme/app:1.0; then');
    expect((await hub('repo', 'exists', '--help')).stdout).toContain(
      'if dockerhub repo exists acme/app; then',
    );
  });
});
