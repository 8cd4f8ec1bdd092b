/**
 * The retry count, as a user sets it: by default a burst of three 503s or three dropped connections on
 * one request path is ridden out; `--retries`, DOCKERHUB_MAX_RETRIES and the SDK's `maxRetries` change how
 * many; a bad value is refused before any request. A real registry behind a fault-injecting proxy.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { parseMaxRetries } from '../../src/core/retry.js';
import { pullImage, RegistryClient } from '../../src/registry/index.js';
import { cli } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';

let registry: RunningRegistry;
let proxy: FaultProxy;
let work: string;
let layout: Awaited<ReturnType<typeof writeOciLayout>>;
const MANIFEST_PATH = '/v2/r/src/manifests/v1';

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-retries-'));
  layout = await writeOciLayout(join(work, 'img'), { tag: 'v1', layers: [200_000, 300_000] });
  await pushLayout(layout.dir, 'v1', `${registry.host}/r/src:v1`);
  proxy = await startFaultProxy(registry.url);
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

afterEach(() => {
  proxy.fault = undefined;
  delete process.env.DOCKERHUB_MAX_RETRIES;
});

/** The first `times` requests to `path` (with `method`, when given) get a 503; every other goes through. */
function burstOf503(path: string, times: number, method?: string): () => number {
  let hits = 0;
  proxy.fault = (req, res) => {
    if (req.url !== path || (method && req.method !== method) || hits >= times) return false;
    hits++;
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"UNAVAILABLE","message":"try again"}]}');
    return true;
  };
  return () => hits;
}

describe('retries by default', () => {
  it('a pull rides out three 503s in a row on the manifest path', async () => {
    const hits = burstOf503(MANIFEST_PATH, 3);
    const out = join(work, 'pull-503');
    const run = await cli(['pull', `${proxy.host}/r/src:v1`, out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('"type":"done"');
    expect(hits()).toBe(3);
    const blobs = await readdir(join(out, 'blobs', 'sha256'));
    expect(blobs).toContain(layout.manifestDigests[0]!.slice('sha256:'.length));
    for (const b of layout.blobs) expect(blobs).toContain(b.digest.slice('sha256:'.length));
  });

  it('a pull rides out three dropped connections on one blob path', async () => {
    let drops = 0;
    const blob = layout.blobs[1]!.digest;
    proxy.fault = (req, res) => {
      if (!req.url?.endsWith(`/blobs/${blob}`) || req.method !== 'GET' || drops >= 3) return false;
      drops++;
      res.socket?.destroy();
      return true;
    };
    const client = new RegistryClient();
    const result = await pullImage(client, `${proxy.host}/r/src:v1`, join(work, 'pull-reset'));
    await client.close();
    expect(drops).toBe(3);
    expect(result.digest).toBe(layout.manifestDigests[0]);
  });

  it('a copy rides out three 503s on the destination manifest PUT', async () => {
    const hits = burstOf503('/v2/r/copied/manifests/v1', 3, 'PUT');
    const run = await cli(['copy', `${registry.host}/r/src:v1`, `${proxy.host}/r/copied:v1`]);
    expect(run.code).toBe(0);
    expect(hits()).toBe(3);
    const check = await cli(['--json', 'inspect', `${registry.host}/r/copied:v1`]);
    expect(check.stdout).toContain(layout.manifestDigests[0]);
  });
});

describe('the retry count, as the user sets it', () => {
  it('--retries 0 gives up on the first 503, naming the status; nothing is left behind', async () => {
    const hits = burstOf503(MANIFEST_PATH, 3);
    const out = join(work, 'pull-no-retries');
    const run = await cli(['--retries', '0', 'pull', `${proxy.host}/r/src:v1`, out]);
    expect(run.code).not.toBe(0);
    expect(hits()).toBe(1);
    expect(run.stderr).toMatch(/503/);
    expect(await readdir(work)).not.toContain('pull-no-retries');
  });

  it('--retries 2 is not enough for three 503s; DOCKERHUB_MAX_RETRIES=5 is', async () => {
    let hits = burstOf503(MANIFEST_PATH, 3);
    const short = await cli(['--retries', '2', 'pull', `${proxy.host}/r/src:v1`, join(work, 'pull-2')]);
    expect(short.code).not.toBe(0);
    expect(hits()).toBe(3);

    hits = burstOf503(MANIFEST_PATH, 3);
    process.env.DOCKERHUB_MAX_RETRIES = '5';
    const enough = await cli(['pull', `${proxy.host}/r/src:v1`, join(work, 'pull-env')]);
    expect(enough.code).toBe(0);
    expect(hits()).toBe(3);
  });

  it('the SDK option maxRetries: 0 fails on the first 503', async () => {
    const hits = burstOf503(MANIFEST_PATH, 3);
    const client = new RegistryClient({ maxRetries: 0 });
    await expect(pullImage(client, `${proxy.host}/r/src:v1`, join(work, 'pull-sdk-0'))).rejects.toThrow(
      /503/,
    );
    await client.close();
    expect(hits()).toBe(1);
  });

  it.each([['-1'], ['1.5'], ['21'], ['many']])(
    '--retries %s is a one-line error before any request',
    async (value) => {
      proxy.seen.length = 0;
      const run = await cli(['--retries', value, 'pull', `${proxy.host}/r/src:v1`, join(work, 'never')]);
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim().split('\n')[0]).toMatch(/--retries must be a whole number from 0 to 20/);
      expect(proxy.seen).toEqual([]);
    },
  );

  it('a bad DOCKERHUB_MAX_RETRIES is named in the error', () => {
    process.env.DOCKERHUB_MAX_RETRIES = 'lots';
    expect(() => new RegistryClient()).toThrow(ValidationError);
    expect(() => new RegistryClient()).toThrow(/DOCKERHUB_MAX_RETRIES/);
    expect(parseMaxRetries('  4 ', 'x')).toBe(4);
  });
});
