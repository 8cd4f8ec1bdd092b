/** `persistPath`: the state survives a restart; what is saved, when, and what a bad file does. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { EmulatorState, StateFileWriter, startEmulator } from '../../src/emulator/index.js';
import { decodeValue, encodeValue } from '../../src/emulator/persist.js';
import { HubClient } from '../../src/hub/index.js';
import { ALPINE_DIGEST, fakeDigest, scoutSeed } from '../helpers/scout-seed.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-persist-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const seed = {
  users: [{ username: 'alice', password: SENTINEL }],
  orgs: [{ name: 'acme', members: ['alice'] }],
  webhooks: [{ repository: 'alice/app', url: 'http://127.0.0.1:9/hook' }],
};

describe('persistPath', () => {
  it('saves after every change and restores everything on the next start', async () => {
    const file = join(work, 'state.json');
    const first = await startEmulator({ seed, persistPath: file });
    const hub = new HubClient({
      baseUrl: first.url,
      credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
    });
    await hub.repositories.create({ namespace: 'acme', name: 'tool', description: 'kept', is_private: true });
    const pat = await hub.accessTokens.create({ token_label: 'ci', scopes: ['repo:write'] });
    await hub.close();
    first.sync.apply({
      action: 'push',
      repository: 'acme/tool',
      tag: '1.0',
      digest: `sha256:${'b'.repeat(64)}`,
      size: 9,
    });
    await first.settle();
    // Written already, before stop.
    const onDisk = JSON.parse(await readFile(file, 'utf8'));
    expect(onDisk).toMatchObject({ format: 'dockerhub-emulator-state', version: 1 });
    expect(onDisk.state.audit.map((a: { action: string }) => a.action)).toEqual(
      first.state.audit.map((a) => a.action),
    );
    const uuid = first.state.users.get('alice')?.uuid;
    await first.stop();

    // A different seed is ignored: the file wins.
    const second = await startEmulator({ seed: { users: [] }, persistPath: file });
    try {
      expect(second.state.users.get('alice')).toMatchObject({ uuid, password: SENTINEL });
      expect(second.state.orgs.get('acme')?.members).toEqual(new Set(['alice']));
      const repo = second.state.repositories.get('acme/tool');
      expect(repo).toMatchObject({ description: 'kept', is_private: true });
      expect(repo?.tags.get('1.0')).toMatchObject({ digest: `sha256:${'b'.repeat(64)}`, full_size: 9 });
      expect(second.state.webhooks).toEqual(seed.webhooks);
      expect([...second.state.pats.values()].map((p) => p.token_label)).toEqual(['ci']);
      expect(second.state.audit.map((a) => a.action)).toEqual(['repo.create', 'pat.create', 'tag.push']);
      // The PAT still logs in after the restart.
      expect(second.state.login('alice', pat.token.reveal())).toMatchObject({ account: 'alice', via: 'pat' });
    } finally {
      await second.stop();
    }
    // No temp files are left beside it.
    expect(await readdir(work)).toEqual(['state.json']);
  });

  it('refuses a file that is not an emulator state, naming it', async () => {
    const bad = join(work, 'bad.json');
    await writeFile(bad, '{"users": []}');
    await expect(startEmulator({ persistPath: bad })).rejects.toThrow(/not an emulator state file/);
    await writeFile(bad, '{oops');
    await expect(startEmulator({ persistPath: bad })).rejects.toThrow(/bad.json is not JSON/);
    await writeFile(bad, JSON.stringify({ format: 'dockerhub-emulator-state', version: 99, state: {} }));
    await expect(startEmulator({ persistPath: bad })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('the codec and the writer', () => {
  it('round-trips Maps, Sets and nested values', () => {
    const value = {
      m: new Map([['k', { s: new Set([1, 2]), a: [new Map([[1, 'x']])] }]]),
      n: null,
      u: undefined,
    };
    expect(decodeValue(JSON.parse(JSON.stringify(encodeValue(value))))).toEqual({ ...value, u: null });
    const state = new EmulatorState({ users: [{ username: 'u', password: 'p' }] });
    state.tokenGeneration = 3;
    const copy = EmulatorState.deserialise(JSON.parse(JSON.stringify(state.serialise())));
    expect(copy.tokenGeneration).toBe(3);
    expect(copy.users.get('u')).toEqual(state.users.get('u'));
  });

  it('coalesces saves requested while one is writing, and reports a failed write', async () => {
    let snapshots = 0;
    const writer = new StateFileWriter(join(work, 'coalesced.json'), () => ({ n: ++snapshots }));
    writer.save();
    writer.save();
    writer.save();
    await writer.flush();
    expect(snapshots).toBe(2);
    expect(JSON.parse(await readFile(join(work, 'coalesced.json'), 'utf8'))).toEqual({ n: 2 });
    const broken = new StateFileWriter(join(work, 'missing-dir', 'x.json'), () => ({}));
    broken.save();
    await broken.flush();
    expect(broken.lastError?.message).toMatch(/ENOENT/);
  });

  it('round-trips a state holding every kind of data (orgs, teams, tokens, SCIM, Scout, webhooks)', () => {
    const seed = scoutSeed({ appV1: fakeDigest('v1'), appV2: fakeDigest('v2') });
    const state = new EmulatorState({
      ...seed,
      orgs: [
        ...(seed.orgs ?? []),
        {
          name: 'acme',
          members: [{ username: 'carol', role: 'owner' }],
          teams: [{ name: 'devs', members: ['carol'] }],
        },
      ],
      scim: { org: 'acme', token: 'scim-token-for-tests-only' },
      repositories: [{ namespace: 'acme', name: 'app', tags: [{ name: 'v1' }] }],
      webhooks: [{ repository: 'acme/app', url: 'http://127.0.0.1:9/hook' }],
    });
    const restored = EmulatorState.deserialise(JSON.parse(JSON.stringify(state.serialise())));
    expect(restored.serialise()).toEqual(state.serialise());
    expect(restored.orgAdmin.role('acme', 'carol')).toBe('owner');
    expect(restored.orgTeams.get('acme')?.get('devs')?.members.has('carol')).toBe(true);
    expect(restored.scim).toEqual({ org: 'acme', token: 'scim-token-for-tests-only' });
    // Sub-states keep their methods: Scout answers from the restored data.
    expect(restored.scout.visible(ALPINE_DIGEST, undefined)?.digest).toBe(ALPINE_DIGEST);
    expect(restored.webhooks).toEqual([{ repository: 'acme/app', url: 'http://127.0.0.1:9/hook' }]);
  });
});
