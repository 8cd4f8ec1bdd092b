/**
 * The built-in registry's wire protocol (OCI distribution v1.1), spoken by hand, in memory and on disk:
 * uploads (monolithic, chunked, resumable, verified), ranged reads, mounts, manifests of all four kinds,
 * deletes and the events they raise, tag pagination, referrers, the catalog, and the errors for each misuse.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltinRegistry } from '../../src/emulator/builtin-registry/index.js';
import type { RegistryEvent, RunningRegistry } from '../../src/emulator/registry-types.js';
import {
  DOCKER_CONFIG,
  DOCKER_LIST,
  DOCKER_MANIFEST,
  OCI_EMPTY,
  OCI_INDEX,
  OCI_MANIFEST,
  pushImage,
  sha256,
  sha512,
  Wire,
} from './wire.js';

/** Every file below `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe.each(['memory', 'disk'] as const)('built-in registry protocol (%s storage)', (storage) => {
  let registry: RunningRegistry;
  let wire: Wire;
  let dir: string;
  const events: RegistryEvent[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dh-builtin-proto-'));
    registry = await startBuiltinRegistry({
      storageDir: storage === 'disk' ? dir : undefined,
      onEvent: (e) => events.push(e),
    });
    wire = new Wire(registry.url);
  });
  afterAll(async () => {
    await wire?.close();
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers GET /v2/ with 200 and the API version header, on loopback', async () => {
    expect(registry).toMatchObject({ kind: 'builtin', url: `http://${registry.host}` });
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const reply = await wire.send('GET', '/v2/');
    expect(reply.status).toBe(200);
    expect(reply.headers['docker-distribution-api-version']).toBe('registry/2.0');
  });

  it('stores a monolithic POST ?digest= blob and serves it with its digest and length', async () => {
    const bytes = Buffer.from('hello blob');
    const put = await wire.pushBlob('acme/app', bytes);
    expect(put.status).toBe(201);
    expect(put.headers.location).toBe(`/v2/acme/app/blobs/${sha256(bytes)}`);
    expect(put.headers['docker-content-digest']).toBe(sha256(bytes));
    const head = await wire.send('HEAD', `/v2/acme/app/blobs/${sha256(bytes)}`);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(bytes.length));
    expect(head.headers['docker-content-digest']).toBe(sha256(bytes));
    const get = await wire.send('GET', `/v2/acme/app/blobs/${sha256(bytes)}`);
    expect(get.body.equals(bytes)).toBe(true);
    // Blobs belong to the repositories they were pushed to.
    expect((await wire.send('HEAD', `/v2/acme/other/blobs/${sha256(bytes)}`)).status).toBe(404);
  });

  it('refuses a blob whose digest does not match (DIGEST_INVALID) and stores nothing', async () => {
    const bytes = Buffer.from('the real content');
    const claimed = sha256('something else');
    const post = await wire.pushBlob('acme/app', bytes, claimed);
    expect(post.status).toBe(400);
    expect(post.code).toBe('DIGEST_INVALID');

    // The same through a session: the session is gone afterwards, and neither digest exists.
    const session = await wire.send('POST', '/v2/acme/app/blobs/uploads/');
    const location = String(session.headers.location);
    expect((await wire.send('PATCH', location, { body: bytes })).status).toBe(202);
    const put = await wire.send('PUT', `${location}?digest=${claimed}`);
    expect(put.status).toBe(400);
    expect(put.code).toBe('DIGEST_INVALID');
    expect(put.json).toMatchObject({ errors: [{ detail: { expected: claimed, actual: sha256(bytes) } }] });
    expect((await wire.send('GET', location)).code).toBe('BLOB_UPLOAD_UNKNOWN');
    for (const digest of [claimed, sha256(bytes)]) {
      const get = await wire.send('GET', `/v2/acme/app/blobs/${digest}`);
      expect(get.status).toBe(404);
      expect(get.code).toBe('BLOB_UNKNOWN');
    }
    if (storage === 'disk') {
      expect(await readdir(join(dir, 'uploads'))).toEqual([]);
      const files = await filesUnder(dir);
      expect(files.filter((f) => f.includes(sha256(bytes).slice(7)) || f.includes('.tmp-'))).toEqual([]);
    }
  });

  it('takes chunks in order, refuses one out of order with 416, reports status, and closes with PUT', async () => {
    const parts = ['01234', '56789', 'abcde'].map((s) => Buffer.from(s));
    const whole = Buffer.concat(parts);
    const post = await wire.send('POST', '/v2/acme/chunked/blobs/uploads/', {
      headers: { 'content-length': '0' },
    });
    expect(post.status).toBe(202);
    expect(post.headers.range).toBe('0-0');
    const location = String(post.headers.location);
    expect(location).toMatch(/^\/v2\/acme\/chunked\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect(post.headers['docker-upload-uuid']).toBe(location.split('/').pop());

    const first = await wire.send('PATCH', location, {
      body: parts[0],
      headers: { 'content-range': '0-4', 'content-type': 'application/octet-stream' },
    });
    expect(first.status).toBe(202);
    expect(first.headers.range).toBe('0-4');
    expect(first.headers.location).toBe(location);

    const skipped = await wire.send('PATCH', location, {
      body: parts[2],
      headers: { 'content-range': '10-14' },
    });
    expect(skipped.status).toBe(416);
    expect(skipped.code).toBe('RANGE_INVALID');
    expect(skipped.headers.range).toBe('0-4');
    const repeated = await wire.send('PATCH', location, {
      body: parts[0],
      headers: { 'content-range': '0-4' },
    });
    expect(repeated.status).toBe(416);
    // A range that disagrees with the body's length is refused too.
    const lying = await wire.send('PATCH', location, {
      body: parts[1],
      headers: { 'content-range': '5-20' },
    });
    expect(lying.status).toBe(416);

    const status = await wire.send('GET', location);
    expect(status.status).toBe(204);
    expect(status.headers).toMatchObject({ range: '0-4', location });

    expect(
      (await wire.send('PATCH', location, { body: parts[1], headers: { 'content-range': '5-9' } })).headers
        .range,
    ).toBe('0-9');
    const put = await wire.send('PUT', `${location}?digest=${sha256(whole)}`, {
      body: parts[2],
      headers: { 'content-range': '10-14' },
    });
    expect(put.status).toBe(201);
    expect(put.headers['docker-content-digest']).toBe(sha256(whole));
    expect((await wire.send('GET', `/v2/acme/chunked/blobs/${sha256(whole)}`)).body.equals(whole)).toBe(true);
    expect((await wire.send('GET', location)).status).toBe(404);
  });

  it('accepts a streamed PATCH without Content-Range, then an empty closing PUT', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    const post = await wire.send('POST', '/v2/acme/streamed/blobs/uploads/');
    const location = String(post.headers.location);
    const patch = await wire.send('PATCH', location, { body: bytes });
    expect(patch.headers.range).toBe(`0-${bytes.length - 1}`);
    const put = await wire.send('PUT', `${location}?digest=${sha256(bytes)}`);
    expect(put.status).toBe(201);
    const head = await wire.send('HEAD', `/v2/acme/streamed/blobs/${sha256(bytes)}`);
    expect(head.headers['content-length']).toBe(String(bytes.length));
  });

  it('undoes a chunk shorter than its Content-Range (SIZE_INVALID), keeping the upload consistent', async () => {
    const location = String((await wire.send('POST', '/v2/acme/short/blobs/uploads/')).headers.location);
    await wire.send('PATCH', location, { body: 'abc', headers: { 'content-range': '0-2' } });
    // A streamed body (no Content-Length) that ends before the range it announced.
    const short = await request(`${registry.url}${location}`, {
      method: 'PATCH',
      headers: { 'content-range': '3-12' },
      body: Readable.from([Buffer.from('defgh')]),
      dispatcher: wire.agent,
    });
    expect(short.statusCode).toBe(400);
    expect(((await short.body.json()) as { errors: Array<{ code: string }> }).errors[0]?.code).toBe(
      'SIZE_INVALID',
    );
    expect((await wire.send('GET', location)).headers.range).toBe('0-2');
    await wire.send('PATCH', location, { body: 'defgh', headers: { 'content-range': '3-7' } });
    expect((await wire.send('PUT', `${location}?digest=${sha256('abcdefgh')}`)).status).toBe(201);
  });

  it('keeps what an interrupted PATCH delivered, so the client can resume from the reported offset', async () => {
    const whole = Buffer.alloc(2_000_000);
    for (let i = 0; i < whole.length; i++) whole[i] = (i * 7) % 251;
    const location = String((await wire.send('POST', '/v2/acme/resume/blobs/uploads/')).headers.location);
    const received = async () => {
      const range = String((await wire.send('GET', location)).headers.range);
      return Number(range.split('-')[1]) + 1;
    };
    // Send the first 1 MB, then stall until the registry has some of it, then drop the connection.
    const abort = new AbortController();
    let stalled!: () => void;
    const waiting = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    async function* body() {
      yield whole.subarray(0, 1_000_000);
      stalled();
      await new Promise((r) => setTimeout(r, 10_000));
    }
    const broken = request(`${registry.url}${location}`, {
      method: 'PATCH',
      body: Readable.from(body()),
      signal: abort.signal,
    }).catch((e: unknown) => e);
    await waiting;
    for (let i = 0; i < 100 && (await received()) < 1_000_000; i++)
      await new Promise((r) => setTimeout(r, 20));
    abort.abort();
    expect(await broken).toBeInstanceOf(Error);
    // The registry settles on what it stored; the client resumes there.
    let offset = await received();
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const again = await received();
      if (again === offset) break;
      offset = again;
    }
    expect(offset).toBe(1_000_000);
    const rest = await wire.send('PATCH', location, {
      body: whole.subarray(offset),
      headers: { 'content-range': `${offset}-${whole.length - 1}` },
    });
    expect(rest.headers.range).toBe(`0-${whole.length - 1}`);
    expect((await wire.send('PUT', `${location}?digest=${sha256(whole)}`)).status).toBe(201);
    expect((await wire.send('GET', `/v2/acme/resume/blobs/${sha256(whole)}`)).body.equals(whole)).toBe(true);
  });

  it('verifies sha512 digests, monolithic and chunked', async () => {
    const bytes = Buffer.from('sha512 content');
    expect((await wire.pushBlob('acme/sha', bytes, sha512(bytes))).status).toBe(201);
    const get = await wire.send('GET', `/v2/acme/sha/blobs/${sha512(bytes)}`);
    expect(get.body.equals(bytes)).toBe(true);
    expect(get.headers['docker-content-digest']).toBe(sha512(bytes));

    const other = Buffer.from('chunked sha512');
    const location = String((await wire.send('POST', '/v2/acme/sha/blobs/uploads/')).headers.location);
    await wire.send('PATCH', location, { body: other });
    expect((await wire.send('PUT', `${location}?digest=${sha512(other)}`)).status).toBe(201);
    expect((await wire.pushBlob('acme/sha', bytes, sha512('nope'))).code).toBe('DIGEST_INVALID');
    expect((await wire.pushBlob('acme/sha', bytes, 'md5:abc')).code).toBe('DIGEST_INVALID');
  });

  it('cancels an upload with DELETE, and keeps sessions to their repository', async () => {
    const location = String((await wire.send('POST', '/v2/acme/cancel/blobs/uploads/')).headers.location);
    await wire.send('PATCH', location, { body: 'partial' });
    const elsewhere = location.replace('/acme/cancel/', '/acme/other/');
    expect((await wire.send('GET', elsewhere)).code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await wire.send('DELETE', location)).status).toBe(204);
    const after = await wire.send('PATCH', location, { body: 'more' });
    expect(after.status).toBe(404);
    expect(after.code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await wire.send('PUT', `${location}?digest=${sha256('x')}`)).code).toBe('BLOB_UPLOAD_UNKNOWN');
    if (storage === 'disk') expect(await readdir(join(dir, 'uploads'))).toEqual([]);
  });

  it('serves byte ranges (206 + Content-Range) and refuses unsatisfiable ones (416)', async () => {
    const bytes = Buffer.from('0123456789');
    await wire.pushBlob('acme/range', bytes);
    const path = `/v2/acme/range/blobs/${sha256(bytes)}`;
    const middle = await wire.send('GET', path, { headers: { range: 'bytes=2-5' } });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe('bytes 2-5/10');
    expect(middle.body.toString()).toBe('2345');
    expect((await wire.send('GET', path, { headers: { range: 'bytes=7-' } })).body.toString()).toBe('789');
    expect((await wire.send('GET', path, { headers: { range: 'bytes=-3' } })).body.toString()).toBe('789');
    expect((await wire.send('GET', path, { headers: { range: 'bytes=8-100' } })).body.toString()).toBe('89');
    const beyond = await wire.send('GET', path, { headers: { range: 'bytes=10-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */10');
    // Several ranges, or nonsense, are ignored: the whole blob.
    const many = await wire.send('GET', path, { headers: { range: 'bytes=0-1,4-5' } });
    expect([many.status, many.body.toString()]).toEqual([200, '0123456789']);
    expect((await wire.send('GET', path, { headers: { range: 'bytes=5-2' } })).status).toBe(200);
    expect((await wire.send('GET', path)).headers['accept-ranges']).toBe('bytes');
  });

  it('deletes a blob from a repository (202), then reports it unknown', async () => {
    const bytes = Buffer.from('delete me');
    await wire.pushBlob('acme/del', bytes);
    const del = await wire.send('DELETE', `/v2/acme/del/blobs/${sha256(bytes)}`);
    expect(del.status).toBe(202);
    expect((await wire.send('HEAD', `/v2/acme/del/blobs/${sha256(bytes)}`)).status).toBe(404);
    const again = await wire.send('DELETE', `/v2/acme/del/blobs/${sha256(bytes)}`);
    expect([again.status, again.code]).toEqual([404, 'BLOB_UNKNOWN']);
    if (storage === 'disk') {
      expect((await filesUnder(dir)).some((f) => f.includes(sha256(bytes).slice(7)))).toBe(false);
    }
  });

  it('mounts a blob from another repository (201), or opens a session when it cannot (202)', async () => {
    const bytes = Buffer.from('shared layer');
    await wire.pushBlob('acme/source', bytes);
    const mount = await wire.send(
      'POST',
      `/v2/acme/target/blobs/uploads/?mount=${sha256(bytes)}&from=acme/source`,
    );
    expect(mount.status).toBe(201);
    expect(mount.headers.location).toBe(`/v2/acme/target/blobs/${sha256(bytes)}`);
    expect((await wire.send('GET', `/v2/acme/target/blobs/${sha256(bytes)}`)).body.equals(bytes)).toBe(true);
    const missing = await wire.send(
      'POST',
      `/v2/acme/target/blobs/uploads/?mount=${sha256('absent')}&from=acme/source`,
    );
    expect(missing.status).toBe(202);
    expect(String(missing.headers.location)).toMatch(/^\/v2\/acme\/target\/blobs\/uploads\//);
  });

  it('stores manifests byte for byte, echoes their type, and answers by tag and by digest', async () => {
    const image = await pushImage(wire, 'library/nginx', 'latest', {
      extra: { annotations: { note: 'spaces  kept' } },
    });
    // Odd formatting must survive: the digest is of the exact bytes.
    const pretty = Buffer.from(`${JSON.stringify(JSON.parse(image.manifest.toString()), null, 3)}\n`);
    const put = await wire.putManifest('library/nginx', 'pretty', pretty, OCI_MANIFEST);
    expect(put.status).toBe(201);
    expect(put.headers['docker-content-digest']).toBe(sha256(pretty));
    expect(put.headers.location).toBe(`/v2/library/nginx/manifests/${sha256(pretty)}`);
    const byTag = await wire.send('GET', '/v2/library/nginx/manifests/pretty', {
      headers: { accept: OCI_MANIFEST },
    });
    expect(byTag.body.equals(pretty)).toBe(true);
    expect(byTag.headers['content-type']).toBe(OCI_MANIFEST);
    expect(byTag.headers['docker-content-digest']).toBe(sha256(pretty));
    const byDigest = await wire.send('GET', `/v2/library/nginx/manifests/${image.digest}`);
    expect(byDigest.body.equals(image.manifest)).toBe(true);
    const head = await wire.send('HEAD', '/v2/library/nginx/manifests/latest');
    expect(head.headers['content-length']).toBe(String(image.manifest.length));
    expect(head.headers['docker-content-digest']).toBe(image.digest);
    // Manifests can be fetched through the blobs endpoint too, as distribution allows.
    expect(
      (await wire.send('GET', `/v2/library/nginx/blobs/${image.digest}`)).body.equals(image.manifest),
    ).toBe(true);
    const unknown = await wire.send('GET', '/v2/library/nginx/manifests/nope');
    expect([unknown.status, unknown.code]).toEqual([404, 'MANIFEST_UNKNOWN']);
    const deep = await pushImage(wire, 'a/b/c/d', 'v1');
    expect((await wire.send('GET', `/v2/a/b/c/d/manifests/${deep.digest}`)).status).toBe(200);
  });

  it('accepts Docker v2 manifests and manifest lists, and OCI indexes of known children', async () => {
    const image = await pushImage(wire, 'acme/docker', 'v1', { mediaType: DOCKER_MANIFEST });
    const got = await wire.send('GET', '/v2/acme/docker/manifests/v1');
    expect(got.headers['content-type']).toBe(DOCKER_MANIFEST);
    const child = { digest: image.digest, size: image.manifest.length };
    for (const [type, childType, tag] of [
      [DOCKER_LIST, DOCKER_MANIFEST, 'list'],
      [OCI_INDEX, DOCKER_MANIFEST, 'index'],
    ] as const) {
      const list = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: type,
          manifests: [{ mediaType: childType, ...child, platform: { os: 'linux', architecture: 'amd64' } }],
        }),
      );
      const put = await wire.putManifest('acme/docker', tag, list, type);
      expect(put.status).toBe(201);
      expect((await wire.send('GET', `/v2/acme/docker/manifests/${tag}`)).headers['content-type']).toBe(type);
    }
    expect(JSON.parse(got.body.toString()).config.mediaType).toBe(DOCKER_CONFIG);
  });

  it('refuses manifests that reference unknown content (MANIFEST_BLOB_UNKNOWN, one error each)', async () => {
    const image = await pushImage(wire, 'acme/refs', 'v1');
    const parsed = JSON.parse(image.manifest.toString());
    const absentLayer = { mediaType: 'application/octet-stream', digest: sha256('absent 1'), size: 8 };
    const absentConfig = { mediaType: 'application/octet-stream', digest: sha256('absent 2'), size: 8 };
    const broken = Buffer.from(JSON.stringify({ ...parsed, config: absentConfig, layers: [absentLayer] }));
    const put = await wire.putManifest('acme/refs', 'broken', broken, OCI_MANIFEST);
    expect(put.status).toBe(400);
    expect(put.json).toMatchObject({
      errors: [
        { code: 'MANIFEST_BLOB_UNKNOWN', detail: { digest: absentConfig.digest } },
        { code: 'MANIFEST_BLOB_UNKNOWN', detail: { digest: absentLayer.digest } },
      ],
    });
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('no such manifest'), size: 3 }],
      }),
    );
    expect((await wire.putManifest('acme/refs', 'index', index, OCI_INDEX)).code).toBe(
      'MANIFEST_BLOB_UNKNOWN',
    );
    // Foreign layers (with urls) are not expected in the registry.
    const foreign = Buffer.from(
      JSON.stringify({
        ...parsed,
        layers: [...parsed.layers, { ...absentLayer, urls: ['https://example.com/l'] }],
      }),
    );
    expect((await wire.putManifest('acme/refs', 'foreign', foreign, OCI_MANIFEST)).status).toBe(201);
    expect((await wire.send('GET', '/v2/acme/refs/manifests/broken')).status).toBe(404);
  });

  it('refuses invalid manifests, mismatched digests and bad references', async () => {
    const image = await pushImage(wire, 'acme/bad', 'v1');
    const wrongDigest = await wire.putManifest('acme/bad', sha256('other'), image.manifest, OCI_MANIFEST);
    expect(wrongDigest.code).toBe('DIGEST_INVALID');
    const mismatch = await wire.putManifest('acme/bad', 'v2', image.manifest, DOCKER_MANIFEST);
    expect([mismatch.status, mismatch.code]).toEqual([400, 'MANIFEST_INVALID']);
    expect((await wire.putManifest('acme/bad', 'v2', Buffer.from('not json'), OCI_MANIFEST)).code).toBe(
      'MANIFEST_INVALID',
    );
    const schema1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'acme/bad' }));
    expect((await wire.putManifest('acme/bad', 'v2', schema1, OCI_MANIFEST)).code).toBe('MANIFEST_INVALID');
    const noConfig = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] }));
    expect((await wire.putManifest('acme/bad', 'v2', noConfig, OCI_MANIFEST)).code).toBe('MANIFEST_INVALID');
    const odd = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/x-odd' }));
    expect((await wire.putManifest('acme/bad', 'v2', odd, 'application/x-odd')).code).toBe(
      'MANIFEST_INVALID',
    );
    expect((await wire.putManifest('acme/bad', '-bad-tag', image.manifest, OCI_MANIFEST)).code).toBe(
      'MANIFEST_INVALID',
    );
    expect((await wire.send('GET', '/v2/acme/bad/manifests/sha256:123')).code).toBe('DIGEST_INVALID');
    // With no Content-Type the manifest's own mediaType decides.
    const untyped = await wire.send('PUT', '/v2/acme/bad/manifests/untyped', {
      body: image.manifest,
      headers: { 'content-type': 'application/json' },
    });
    expect(untyped.status).toBe(201);
    expect((await wire.send('GET', '/v2/acme/bad/manifests/untyped')).headers['content-type']).toBe(
      OCI_MANIFEST,
    );
  });

  it('deletes tags and manifests (202) and reports each as an event; pushes are events too', async () => {
    events.length = 0;
    const image = await pushImage(wire, 'acme/events', 'v1');
    await wire.putManifest('acme/events', 'v2', image.manifest, OCI_MANIFEST);
    expect(events).toEqual([
      {
        action: 'push',
        repository: 'acme/events',
        tag: 'v1',
        digest: image.digest,
        mediaType: OCI_MANIFEST,
        size: image.manifest.length,
      },
      expect.objectContaining({ action: 'push', tag: 'v2', digest: image.digest }),
    ]);
    events.length = 0;
    expect((await wire.send('DELETE', '/v2/acme/events/manifests/v1')).status).toBe(202);
    expect((await wire.send('GET', '/v2/acme/events/manifests/v1')).status).toBe(404);
    expect((await wire.send('GET', `/v2/acme/events/manifests/${image.digest}`)).status).toBe(200);
    expect((await wire.send('DELETE', `/v2/acme/events/manifests/${image.digest}`)).status).toBe(202);
    expect((await wire.send('GET', '/v2/acme/events/manifests/v2')).status).toBe(404);
    expect(events).toEqual([
      {
        action: 'delete',
        repository: 'acme/events',
        tag: 'v1',
        digest: image.digest,
        mediaType: OCI_MANIFEST,
        size: image.manifest.length,
      },
      {
        action: 'delete',
        repository: 'acme/events',
        digest: image.digest,
        mediaType: OCI_MANIFEST,
        size: image.manifest.length,
      },
    ]);
    const gone = await wire.send('DELETE', `/v2/acme/events/manifests/${image.digest}`);
    expect([gone.status, gone.code]).toEqual([404, 'MANIFEST_UNKNOWN']);
    expect((await wire.send('DELETE', '/v2/acme/events/manifests/never')).code).toBe('MANIFEST_UNKNOWN');
  });

  it('lists tags in lexical order, page by page with Link rel="next"', async () => {
    const image = await pushImage(wire, 'acme/tags', 'b');
    for (const tag of ['e', 'a', 'd', 'c'])
      await wire.putManifest('acme/tags', tag, image.manifest, OCI_MANIFEST);
    const all = await wire.send('GET', '/v2/acme/tags/tags/list');
    expect(all.json).toEqual({ name: 'acme/tags', tags: ['a', 'b', 'c', 'd', 'e'] });
    expect(all.headers.link).toBeUndefined();

    const pages: string[][] = [];
    let next: string | undefined = '/v2/acme/tags/tags/list?n=2';
    while (next) {
      const page = await wire.send('GET', next);
      pages.push((page.json as { tags: string[] }).tags);
      const link = page.headers.link as string | undefined;
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      if (link) expect(next).toBeDefined();
    }
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const afterC = await wire.send('GET', '/v2/acme/tags/tags/list?last=c');
    expect((afterC.json as { tags: string[] }).tags).toEqual(['d', 'e']);
    const none = await wire.send('GET', '/v2/acme/tags/tags/list?n=0');
    expect([(none.json as { tags: string[] }).tags, none.headers.link]).toEqual([[], undefined]);
    expect((await wire.send('GET', '/v2/acme/tags/tags/list?n=-1')).status).toBe(400);
    const unknown = await wire.send('GET', '/v2/acme/nothing/tags/list');
    expect([unknown.status, unknown.code]).toEqual([404, 'NAME_UNKNOWN']);
  });

  it('lists referrers as an OCI index, filtered by artifactType with OCI-Filters-Applied', async () => {
    const subject = await pushImage(wire, 'acme/refd', 'v1');
    const empty = Buffer.from('{}');
    await wire.pushBlob('acme/refd', empty);
    const emptyDesc = { mediaType: OCI_EMPTY, digest: sha256(empty), size: 2 };
    const subjectDesc = { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.manifest.length };
    const sbom = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: 'application/spdx+json',
        config: emptyDesc,
        layers: [emptyDesc],
        subject: subjectDesc,
        annotations: { 'org.example.kind': 'sbom' },
      }),
    );
    // No artifactType: the config's media type stands in for it.
    const signature = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { ...emptyDesc, mediaType: 'application/vnd.example.sig' },
        layers: [emptyDesc],
        subject: subjectDesc,
      }),
    );
    const put = await wire.putManifest('acme/refd', sha256(sbom), sbom, OCI_MANIFEST);
    expect(put.headers['oci-subject']).toBe(subject.digest);
    await wire.putManifest('acme/refd', sha256(signature), signature, OCI_MANIFEST);
    expect(
      (await wire.putManifest('acme/refd', 'plain', subject.manifest, OCI_MANIFEST)).headers['oci-subject'],
    ).toBeUndefined();

    const all = await wire.send('GET', `/v2/acme/refd/referrers/${subject.digest}`);
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toBe(OCI_INDEX);
    expect(all.headers['oci-filters-applied']).toBeUndefined();
    expect(all.json).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: sha256(sbom),
          size: sbom.length,
          artifactType: 'application/spdx+json',
          annotations: { 'org.example.kind': 'sbom' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: sha256(signature),
          size: signature.length,
          artifactType: 'application/vnd.example.sig',
        },
      ],
    });
    const filtered = await wire.send(
      'GET',
      `/v2/acme/refd/referrers/${subject.digest}?artifactType=${encodeURIComponent('application/vnd.example.sig')}`,
    );
    expect(filtered.headers['oci-filters-applied']).toBe('artifactType');
    expect(
      (filtered.json as { manifests: Array<{ digest: string }> }).manifests.map((m) => m.digest),
    ).toEqual([sha256(signature)]);
    const none = await wire.send('GET', `/v2/acme/refd/referrers/${sha256('nothing refers here')}`);
    expect([none.status, (none.json as { manifests: unknown[] }).manifests]).toEqual([200, []]);
    expect((await wire.send('GET', '/v2/acme/refd/referrers/latest')).status).toBe(400);
  });

  it('lists the catalog page by page', async () => {
    const first = await wire.send('GET', '/v2/_catalog?n=3');
    const repos = (first.json as { repositories: string[] }).repositories;
    expect(repos).toEqual([...repos].sort());
    expect(repos).toHaveLength(3);
    expect(String(first.headers.link)).toBe(
      `</v2/_catalog?n=3&last=${encodeURIComponent(repos[2]!)}>; rel="next"`,
    );
    const all = (await wire.send('GET', '/v2/_catalog')).json as { repositories: string[] };
    expect(all.repositories).toContain('library/nginx');
    expect(all.repositories).toContain('a/b/c/d');
    // An emptied repository disappears from the catalog.
    expect(all.repositories).not.toContain('acme/del');
  });

  it('refuses invalid names, unknown endpoints and unsupported methods in the OCI error format', async () => {
    const upper = await wire.send('GET', '/v2/Acme/App/tags/list');
    expect([upper.status, upper.code]).toEqual([400, 'NAME_INVALID']);
    expect((await wire.send('GET', '/v2/acme//app/tags/list')).code).toBe('NAME_INVALID');
    expect((await wire.send('GET', '/v2/acme/%zz/tags/list')).code).toBe('NAME_INVALID');
    const unknown = await wire.send('GET', '/v3/');
    expect(unknown.status).toBe(404);
    const method = await wire.send('POST', '/v2/acme/app/tags/list');
    expect([method.status, method.code]).toEqual([405, 'UNSUPPORTED']);
    expect(method.json).toMatchObject({ errors: [{ code: 'UNSUPPORTED', message: expect.any(String) }] });
    expect((await wire.send('GET', '/v2/acme/app/blobs/not-a-digest')).code).toBe('DIGEST_INVALID');
    expect((await wire.send('PATCH', '/v2/acme/app/blobs/uploads/nope')).code).toBe('BLOB_UPLOAD_UNKNOWN');
  });
});

describe('built-in registry on disk across restarts', () => {
  it('keeps tags, manifests and blobs, and drops unfinished uploads and temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dh-builtin-restart-'));
    try {
      const first = await startBuiltinRegistry({ storageDir: dir });
      const wire = new Wire(first.url);
      const image = await pushImage(wire, 'acme/keep', 'v1');
      // A long, deeply nested name: each component is its own folder, so no file name grows too long.
      const deep = Array.from({ length: 60 }, (_, i) => `c${i}`).join('/');
      const deepImage = await pushImage(wire, deep, 'v1');
      const location = String((await wire.send('POST', '/v2/acme/keep/blobs/uploads/')).headers.location);
      await wire.send('PATCH', location, { body: 'half' });
      await wire.close();
      await first.stop();
      await first.stop(); // idempotent
      // What an interrupted metadata write leaves behind.
      await writeFile(join(dir, 'repositories', 'acme', 'keep', '_repository.json.tmp-0123'), '{"tags":');
      await writeFile(join(dir, 'repositories', 'acme', 'keep', '._repository.json.0a1b2c.tmp'), '{"tags":');

      const second = await startBuiltinRegistry({ storageDir: dir });
      const again = new Wire(second.url);
      try {
        const got = await again.send('GET', '/v2/acme/keep/manifests/v1');
        expect(got.body.equals(image.manifest)).toBe(true);
        expect(
          (await again.send('GET', `/v2/acme/keep/blobs/${image.layers[0]!.digest}`)).body.toString(),
        ).toBe('layer one');
        expect((await again.send('GET', '/v2/acme/keep/tags/list')).json).toEqual({
          name: 'acme/keep',
          tags: ['v1'],
        });
        expect((await again.send('GET', `/v2/${deep}/manifests/v1`)).body.equals(deepImage.manifest)).toBe(
          true,
        );
        expect(
          ((await again.send('GET', '/v2/_catalog')).json as { repositories: string[] }).repositories,
        ).toEqual(['acme/keep', deep].sort());
        expect((await again.send('GET', location)).code).toBe('BLOB_UPLOAD_UNKNOWN');
        expect(await readdir(join(dir, 'uploads'))).toEqual([]);
        expect((await filesUnder(dir)).filter((f) => f.includes('.tmp-') || f.endsWith('.tmp'))).toEqual([]);
      } finally {
        await again.close();
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
