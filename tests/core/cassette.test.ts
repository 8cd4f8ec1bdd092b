/**
 * Record a real run against a token-auth registry, then replay it with the registry gone: same answers,
 * no network, secrets scrubbed from the cassette, and a clear error for anything not recorded.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CassetteRecorder } from '../../src/core/cassette.js';
import { CassetteMissError } from '../../src/core/errors.js';
import { inspectImage, RegistryClient } from '../../src/registry/index.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let tokens: TokenServer;
let registry: RunningRegistry;
let work: string;
let cassette: string;

beforeAll(async () => {
  tokens = await startTokenServer({ users: { rec: SENTINEL } });
  registry = await startRegistry({ auth: 'token', tokenServer: tokens });
  work = await mkdtemp(join(tmpdir(), 'dh-cassette-'));
  cassette = join(work, 'cassette.json');
  const layout = await writeOciLayout(join(work, 'img'), {
    tag: 't',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    layers: [256],
  });
  await pushLayout(layout.dir, 't', `${registry.host}/rec/img:t`, `rec:${SENTINEL}`);
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  await tokens?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('record and replay', () => {
  let recorded: Awaited<ReturnType<typeof inspectImage>>;
  let tags: string[];

  it('records every interaction with secrets scrubbed', async () => {
    const client = new RegistryClient({
      record: cassette,
      credentials: { username: 'rec', password: SENTINEL, env: {}, useDockerConfig: false },
    });
    recorded = await inspectImage(client, `${registry.host}/rec/img:t`);
    tags = await client.tags.list(`${registry.host}/rec/img`).toArray();
    await client.close();
    CassetteRecorder.for(cassette).flush();
    const text = await readFile(cassette, 'utf8');
    const file = JSON.parse(text);
    expect(file.version).toBe(1);
    // 401 + token + index + 2 children + 2 configs + tags
    expect(file.interactions.length).toBe(8);
    expect(text).not.toContain(SENTINEL);
    expect(text).not.toContain(Buffer.from(`rec:${SENTINEL}`).toString('base64'));
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]{10,}/); // no signed JWT (placeholders only)
  });

  it('replays the run with the registry and token server stopped', async () => {
    await registry.stop();
    await tokens.stop();
    const client = new RegistryClient({ replay: cassette, credentials: { env: {}, useDockerConfig: false } });
    const replayed = await inspectImage(client, `${registry.host}/rec/img:t`);
    expect(replayed).toEqual(recorded);
    expect(await client.tags.list(`${registry.host}/rec/img`).toArray()).toEqual(tags);
    const miss = (await client.manifests
      .get(`${registry.host}/rec/img:other`)
      .catch((e) => e)) as CassetteMissError;
    expect(miss).toBeInstanceOf(CassetteMissError);
    expect(miss.message).toBe(
      `no recorded interaction for GET http://${registry.host}/v2/rec/img/manifests/other in cassette ${cassette}`,
    );
    await client.close();
  });
});
