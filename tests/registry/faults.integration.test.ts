/**
 * Faults a real registry does not produce on demand, injected by a loopback proxy in front of the real
 * distribution registry: wrong bytes, truncated bodies, 503 bursts, and tag pagination through `Link`
 * (distribution 2.8 ignores `n`, so the proxy paginates its answer the way other registries do).
 */

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { AuthenticationError, DigestMismatchError } from '../../src/core/errors.js';
import { inspectImage, RegistryClient } from '../../src/registry/index.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';

let registry: RunningRegistry;
let proxy: FaultProxy;
let proxyHost: string;
let work: string;
let layout: Awaited<ReturnType<typeof writeOciLayout>>;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-faults-'));
  layout = await writeOciLayout(join(work, 'img'), { tag: 'x', layers: [20_000] });
  await pushLayout(layout.dir, 'x', `${registry.host}/f/img:x`);
  for (const tag of ['a', 'b', 'c', 'd', 'e'])
    await pushLayout(layout.dir, 'x', `${registry.host}/f/img:${tag}`);
  proxy = await startFaultProxy(registry.url);
  proxyHost = proxy.host;
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.fault = undefined;
  proxy.seen.length = 0;
});

describe('faults between client and registry', () => {
  it('rejects a manifest whose bytes do not match the digest the registry announced', async () => {
    proxy.fault = async (req, res, body) => {
      if (!req.url?.includes('/manifests/')) return false;
      const r = await proxy.upstream(req, body);
      const tampered = Buffer.concat([r.body, Buffer.from(' ')]); // still valid JSON, different bytes
      res.writeHead(r.status, { ...r.headers, 'content-length': String(tampered.length) });
      res.end(tampered);
      return true;
    };
    const client = new RegistryClient();
    await expect(client.manifests.get(`${proxyHost}/f/img:x`)).rejects.toBeInstanceOf(DigestMismatchError);
    await client.close();
  });

  it('fails a blob download with wrong bytes and leaves no file behind', async () => {
    const blob = layout.blobs.find((b) => b.size === 20_000)!;
    proxy.fault = async (req, res, body) => {
      if (!req.url?.includes('/blobs/')) return false;
      const r = await proxy.upstream(req, body);
      r.body[100] = (r.body[100] ?? 0) ^ 0xff;
      res.writeHead(r.status, r.headers);
      res.end(r.body);
      return true;
    };
    const outDir = join(work, 'dl');
    let stderr = '';
    const code = await runCli(['blob', `${proxyHost}/f/img`, blob.digest, '-o', join(outDir, 'layer')], {
      stdout: () => undefined,
      stderr: (t) => {
        stderr += t;
      },
      isTTY: false,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^dockerhub: digest mismatch for blob/);
    expect(await readdir(outDir)).toEqual([]);
  });

  it('fails a truncated blob instead of returning short content', async () => {
    const blob = layout.blobs.find((b) => b.size === 20_000)!;
    proxy.fault = async (req, res, body) => {
      if (!req.url?.includes('/blobs/')) return false;
      const r = await proxy.upstream(req, body);
      res.writeHead(r.status, { 'content-type': 'application/octet-stream' }); // no length: chunked
      res.end(r.body.subarray(0, 5000));
      return true;
    };
    const client = new RegistryClient();
    const { stream } = await client.blobs.get(`${proxyHost}/f/img`, blob.digest, { size: blob.size });
    const consume = async () => {
      for await (const _ of stream) {
        /* drain */
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(DigestMismatchError);
    await client.close();
  });

  it('rides out a burst of 503s and still returns verified content', async () => {
    let failures = 2;
    proxy.fault = async (req, res) => {
      if (!req.url?.includes('/manifests/') || failures <= 0) return false;
      failures--;
      res.writeHead(503, { 'retry-after': '0' });
      res.end();
      return true;
    };
    const client = new RegistryClient();
    const result = await inspectImage(client, `${proxyHost}/f/img:x`);
    expect(result.digest).toBe(layout.manifestDigests[0]);
    expect(proxy.seen.filter((s) => s.includes('/manifests/'))).toHaveLength(3);
    await client.close();
  });

  it('walks tags page by page through Link headers', async () => {
    proxy.fault = async (req, res, body) => {
      if (!req.url?.includes('/tags/list')) return false;
      const url = new URL(req.url, 'http://x');
      const n = Number(url.searchParams.get('n') ?? 1000);
      const last = url.searchParams.get('last');
      // The whole list from upstream (a registry that paginates itself would answer one page only).
      req.url = url.pathname;
      const all = (
        (JSON.parse((await proxy.upstream(req, body)).body.toString()) as { tags: string[] }).tags ?? []
      ).sort();
      const start = last ? all.indexOf(last) + 1 : 0;
      const page = all.slice(start, start + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (start + n < all.length)
        headers.link = `</v2/f/img/tags/list?n=${n}&last=${page.at(-1)}>; rel="next"`;
      res.writeHead(200, headers);
      res.end(JSON.stringify({ name: 'f/img', tags: page }));
      return true;
    };
    const client = new RegistryClient();
    const pages: string[][] = [];
    for await (const page of client.tags.list(`${proxyHost}/f/img`, { pageSize: 2 }).pages())
      pages.push(page.items);
    expect(pages).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'x'],
    ]);
    expect(proxy.seen.filter((s) => s.includes('/tags/list'))).toEqual([
      'GET /v2/f/img/tags/list?n=2',
      'GET /v2/f/img/tags/list?n=2&last=b',
      'GET /v2/f/img/tags/list?n=2&last=d',
    ]);
    expect(await client.tags.list(`${proxyHost}/f/img`, { pageSize: 2 }).toArray(3)).toEqual(['a', 'b', 'c']);
    await client.close();
  });

  it('answers a Basic challenge with the configured credentials', async () => {
    const expected = `Basic ${Buffer.from('bob:basic-pass-123').toString('base64')}`;
    proxy.fault = async (req, res) => {
      if (req.headers.authorization === expected) return false;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return true;
    };
    const ok = new RegistryClient({
      credentials: { username: 'bob', password: 'basic-pass-123', env: {}, useDockerConfig: false },
    });
    expect((await inspectImage(ok, `${proxyHost}/f/img:x`)).digest).toBe(layout.manifestDigests[0]);
    // The challenge is remembered: later requests carry Basic credentials up front.
    proxy.seen.length = 0;
    await ok.manifests.head(`${proxyHost}/f/img:x`);
    expect(proxy.seen).toHaveLength(1);
    await ok.close();
    const anonymous = new RegistryClient({ credentials: { env: {}, useDockerConfig: false } });
    const err = (await anonymous.manifests
      .get(`${proxyHost}/f/img:x`)
      .catch((e) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/^401 authentication required/);
    await anonymous.close();
  });

  it('refuses a Link header that points at another origin', async () => {
    proxy.fault = async (req, res) => {
      if (!req.url?.includes('/tags/list')) return false;
      res.writeHead(200, {
        'content-type': 'application/json',
        link: '<http://127.0.0.2:1/v2/f/img/tags/list?last=a>; rel="next"',
      });
      res.end(JSON.stringify({ tags: ['a'] }));
      return true;
    };
    const client = new RegistryClient();
    await expect(client.tags.list(`${proxyHost}/f/img`).toArray()).rejects.toThrow(
      /refusing to follow http:\/\/127\.0\.0\.2:1/,
    );
    await client.close();
  });
});

describe('pull-limit check', () => {
  it('reads ratelimit-* from a HEAD on the probe image without counting a pull', async () => {
    const { checkPullLimit } = await import('../../src/registry/index.js');
    const { cli } = await import('../helpers/cli.js');
    proxy.fault = async (req, res, body) => {
      if (req.method !== 'HEAD') return false;
      const r = await proxy.upstream(req, body);
      res.writeHead(r.status, {
        ...r.headers,
        'ratelimit-limit': '100;w=21600',
        'ratelimit-remaining': '42;w=21600',
        'docker-ratelimit-source': '198.51.100.7',
      });
      res.end();
      return true;
    };
    const client = new RegistryClient();
    expect(await checkPullLimit(client, `${proxyHost}/f/img:x`)).toEqual({
      limit: 100,
      remaining: 42,
      windowSeconds: 21600,
      source: '198.51.100.7',
      limited: true,
    });
    await client.close();
    const res = await cli(['rate-limit', '--probe', `${proxyHost}/f/img:x`]);
    expect(res.stdout).toMatch(/Pulls left:\s+42\nLimit:\s+100 per 6 h\nCounted for:\s+198\.51\.100\.7/);
    expect(proxy.seen.filter((s) => s.startsWith('GET'))).toEqual([]);
    proxy.fault = undefined;
    expect((await cli(['rate-limit', '--probe', `${proxyHost}/f/img:x`])).stdout).toBe(
      'no pull limit reported\n',
    );
  });
});
