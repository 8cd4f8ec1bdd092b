/**
 * Record and replay through the CLI, across the Hub API and Scout: a run against the emulator is recorded
 * with DOCKERHUB_RECORD, then replayed with DOCKERHUB_REPLAY after the emulator is gone. The output is the
 * same, the cassette holds no secret (password, JWT), and a request it does not hold fails naming it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { cli } from '../helpers/cli.js';
import { fakeDigest, SENTINEL, scoutSeed } from '../helpers/scout-seed.js';

const V1 = fakeDigest('record-replay v1');
let emu: RunningEmulator;
let work: string;
let url: string;
const saved = { ...process.env };

beforeAll(async () => {
  const seed = scoutSeed({ appV1: V1, appV2: fakeDigest('record-replay v2') });
  emu = await startEmulator({
    seed: { ...seed, repositories: [{ namespace: 'team', name: 'app', description: 'the app' }] },
  });
  url = emu.url;
  work = await mkdtemp(join(tmpdir(), 'dh-record-'));
  Object.assign(process.env, {
    DOCKER_HUB_USER: 'carol',
    DOCKER_HUB_TOKEN: SENTINEL,
    DOCKER_CONFIG: '/nonexistent',
    DOCKERHUB_SCOUT_URL: emu.url,
  });
});

afterAll(async () => {
  process.env = saved;
  await emu?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const run = () =>
  Promise.all([
    cli(['--hub-url', url, 'repo', 'ls', 'team']),
    cli(['--hub-url', url, '--json', 'scout', 'summary', V1, '--org', 'team']),
  ]);

describe('record and replay (CLI, Hub API and Scout)', () => {
  it('replays a recorded run with the emulator stopped, and the cassette holds no secret', async () => {
    const cassette = join(work, 'cassette.json');
    process.env.DOCKERHUB_RECORD = cassette;
    const recorded = await run();
    delete process.env.DOCKERHUB_RECORD;
    expect(recorded.map((r) => r.code)).toEqual([0, 0]);
    expect(recorded[0]?.stdout).toMatch(/team\/app\s+no/);
    expect(JSON.parse(recorded[1]?.stdout ?? '{}').vulnerabilities.total).toBe(9);

    const text = await readFile(cassette, 'utf8');
    expect(text).toContain('/v2/auth/token');
    expect(text).toContain('/v1/graphql');
    expect(text).not.toContain(SENTINEL);
    // No signed JWT: the Hub's token is replaced by an unsigned placeholder that keeps replays working.
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]{10,}/);

    await emu.stop();
    process.env.DOCKERHUB_REPLAY = cassette;
    try {
      const replayed = await run();
      expect(replayed.map((r) => r.stdout)).toEqual(recorded.map((r) => r.stdout));
      const miss = await cli(['--hub-url', url, 'repo', 'show', 'team/other']);
      expect(miss.code).toBe(1);
      // Each recorded interaction answers once: this run's login is the first request the cassette lacks.
      expect(miss.stderr).toMatch(
        /^dockerhub: no recorded interaction for POST http:\/\/127\.0\.0\.1:\d+\/v2\/auth\/token in cassette /,
      );
    } finally {
      delete process.env.DOCKERHUB_REPLAY;
    }
  });
});
