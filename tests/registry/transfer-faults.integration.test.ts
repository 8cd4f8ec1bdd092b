/**
 * Transfers through a fault-injecting loopback proxy in front of a real registry: connection reset
 * mid-blob, bursts of 500/503, 429 with Retry-After, truncated bodies, wrong bytes. Each transfer either
 * completes with correct content or fails with a typed error; no corrupted file is left behind and no
 * manifest ever references a missing blob.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, DigestMismatchError, DockerHubError, NotFoundError } from '../../src/core/errors.js';
import { copyImage, pullImage, pushImage, RegistryClient } from '../../src/registry/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';

let registry: RunningRegistry;
let proxy: FaultProxy;
let host: string;
let work: string;
let layout: Awaited<ReturnType<typeof writeOciLayout>>;
const LAYER = 3_000_000;

async function sha(path: string) {
  return `sha256:${createHash('sha256')
    .update(await readFile(path))
    .digest('hex')}`;
}

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-tfaults-'));
  layout = await writeOciLayout(join(work, 'img'), { tag: 'v1', layers: [LAYER, 20_000_000] });
  await pushLayout(layout.dir, 'v1', `${registry.host}/f/src:v1`);
  proxy = await startFaultProxy(registry.url);
  host = proxy.host;
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.fault = undefined;
});

const fastRetry = () => new RegistryClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });

async function expectLayoutIntact(dir: string) {
  for (const b of layout.blobs)
    expect(await sha(join(dir, 'blobs', 'sha256', b.digest.slice(7)))).toBe(b.digest);
}

async function noPartials() {
  const all = await readdir(work, { recursive: true });
  expect(all.filter((n) => String(n).includes('partial'))).toEqual([]);
}

describe('pull through faults', () => {
  it('resumes with Range after a connection reset mid-blob', async () => {
    let resets = 0;
    const ranges: Array<string | undefined> = [];
    proxy.fault = (req, res) => {
      if (!req.url?.includes('/blobs/sha256:') || req.method !== 'GET') return false;
      ranges.push(req.headers.range);
      if (resets > 0 || !req.url.includes(layout.blobs[1]!.digest)) return false;
      resets++;
      // Send the first 8 MB of the real blob, then cut the connection.
      const up = httpRequest(`${registry.url}${req.url}`, (upRes) => {
        res.writeHead(200, { 'content-length': upRes.headers['content-length'] ?? '' });
        let sent = 0;
        upRes.on('data', (c: Buffer) => {
          if (sent >= 8_000_000) return;
          sent += c.length;
          res.write(c);
          if (sent >= 8_000_000) {
            upRes.destroy();
            res.socket?.destroy();
          }
        });
      });
      up.end();
      return true;
    };
    const client = fastRetry();
    const out = join(work, 'resumed');
    const result = await pullImage(client, `${host}/f/src:v1`, out, { concurrency: 1 });
    await client.close();
    expect(result.digest).toBe(layout.manifestDigests[0]);
    expect(resets).toBe(1);
    expect(ranges.some((r) => r?.startsWith('bytes='))).toBe(true);
    await expectLayoutIntact(out);
    await noPartials();
  });

  it('rides out bursts of 500/503 and a 429 with Retry-After', async () => {
    let n = 0;
    proxy.fault = (req, res) => {
      if (!req.url?.includes('/blobs/') || n >= 4) return false;
      n++;
      if (n === 1) res.writeHead(429, { 'retry-after': '0' });
      else res.writeHead(n % 2 ? 500 : 503);
      res.end();
      return true;
    };
    const client = fastRetry();
    const out = join(work, 'bursts');
    await pullImage(client, `${host}/f/src:v1`, out, { concurrency: 1 });
    await client.close();
    expect(n).toBe(4);
    await expectLayoutIntact(out);
  });

  it('fails on wrong bytes with DigestMismatchError and leaves no layout or temp file', async () => {
    proxy.fault = (req, res, body) => {
      if (!req.url?.includes(layout.blobs[0]!.digest) || req.method !== 'GET') return false;
      proxy.forward(req, res, body, (b) => {
        b[10] = (b[10] ?? 0) ^ 0xff;
        return b;
      });
      return true;
    };
    const client = fastRetry();
    const out = join(work, 'corrupt');
    await expect(pullImage(client, `${host}/f/src:v1`, out)).rejects.toBeInstanceOf(DigestMismatchError);
    await client.close();
    expect(await readdir(work)).not.toContain('corrupt');
    await noPartials();
  });

  it('fails a truncated body with a typed error and leaves nothing behind', async () => {
    proxy.fault = (req, res, body) => {
      if (!req.url?.includes(layout.blobs[0]!.digest) || req.method !== 'GET') return false;
      proxy.forward(req, res, body, (b) => b.subarray(0, 1000));
      return true;
    };
    const client = new RegistryClient({ retry: false });
    const out = join(work, 'truncated');
    const err = await pullImage(client, `${host}/f/src:v1`, out).catch((e) => e);
    await client.close();
    expect(err).toBeInstanceOf(DockerHubError);
    expect(await readdir(work)).not.toContain('truncated');
    await noPartials();
  });
});

describe('push through faults', () => {
  it('never puts a manifest when a blob upload fails', async () => {
    proxy.fault = (req, res) => {
      if (req.method !== 'PATCH' && !(req.method === 'PUT' && req.url?.includes('/blobs/uploads/')))
        return false;
      res.writeHead(500);
      res.end();
      return true;
    };
    const client = new RegistryClient({ retry: { maxAttempts: 2, baseDelayMs: 1 } });
    await expect(pushImage(client, `${layout.dir}:v1`, `${host}/f/broken:v1`)).rejects.toBeInstanceOf(
      DockerHubError,
    );
    proxy.fault = undefined;
    await expect(client.manifests.get(`${host}/f/broken:v1`)).rejects.toBeInstanceOf(NotFoundError);
    await client.close();
  });

  it('a copy cancelled mid-transfer puts no manifest and leaves no upload session open', async () => {
    let stalled!: () => void;
    const reached = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    const held: Array<{ destroy(): void }> = [];
    // The source (through the proxy) answers everything but the blobs, which it holds.
    proxy.fault = (req, res) => {
      if (req.method !== 'GET' || !req.url?.includes('/blobs/sha256:')) return false;
      held.push(res);
      stalled();
      return true;
    };
    const client = new RegistryClient();
    const controller = new AbortController();
    const copy = copyImage(client, `${host}/f/src:v1`, `${registry.host}/f/cancelled:v1`, {
      signal: controller.signal,
    });
    await reached;
    const uploads = join(registry.storageDir, 'docker/registry/v2/repositories/f/cancelled/_uploads');
    // An open session has its start time on disk; a closed one does not.
    const open = async () =>
      (await readdir(uploads, { recursive: true }).catch(() => [])).filter((f) =>
        String(f).endsWith('startedat'),
      );
    await expect.poll(open).not.toEqual([]);
    controller.abort();
    await expect(copy).rejects.toBeInstanceOf(AbortError);
    expect(await open()).toEqual([]);
    for (const res of held) res.destroy();
    proxy.fault = undefined;
    await expect(client.manifests.get(`${registry.host}/f/cancelled:v1`)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await client.close();
  });

  it('restarts an upload cut mid-stream and completes with the right content', async () => {
    let cut = 0;
    proxy.fault = (req, res) => {
      if (req.method !== 'PATCH' || cut > 0) return false;
      cut++;
      res.socket?.destroy();
      return true;
    };
    const client = fastRetry();
    const result = await pushImage(client, `${layout.dir}:v1`, `${host}/f/recovered:v1`);
    expect(cut).toBe(1);
    expect(result.digest).toBe(layout.manifestDigests[0]);
    const pulled = join(work, 'recovered');
    await pullImage(client, `${host}/f/recovered:v1`, pulled);
    await client.close();
    await expectLayoutIntact(pulled);
  });
});
