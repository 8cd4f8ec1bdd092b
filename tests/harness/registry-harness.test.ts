/**
 * Proves the test harness itself: a real distribution registry and the built-in one (no auth and token
 * auth), the token server, the OCI layout generator and the skopeo helpers agree with one another on every
 * digest.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { OCI_INDEX, OCI_MANIFEST, type OciLayout, writeOciLayout } from '../helpers/oci-image.js';
import { REGISTRY_KINDS, type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout, skopeoDigest, skopeoInspect } from '../helpers/skopeo.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';

const USER = 'harness-user';
const PASSWORD = 'harness-pass-123';
const THREE_PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
];

// One connection pool for the whole file, closed at the end so no socket outlives the registries.
const agent = new Agent({ keepAliveTimeout: 1000 });
afterAll(() => agent.close());

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-harness-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { dispatcher: agent, headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

function jwtClaims(token: string): {
  sub: string;
  aud: string;
  access: Array<{ name: string; actions: string[] }>;
} {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('OCI layout generator', () => {
  it('writes a valid layout whose blobs hash to their names', async () => {
    const layout = await writeOciLayout(join(work, 'gen'), {
      tag: 'g1',
      layers: [0, 1, 3 << 20],
      annotations: { 'org.opencontainers.image.title': 'gen' },
    });
    expect(JSON.parse(await readFile(join(layout.dir, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    const index = JSON.parse(await readFile(join(layout.dir, 'index.json'), 'utf8'));
    expect(index.manifests).toEqual([
      expect.objectContaining({
        mediaType: OCI_MANIFEST,
        digest: layout.manifestDigests[0],
        annotations: { 'org.opencontainers.image.ref.name': 'g1' },
      }),
    ]);
    expect(layout.indexDigest).toBeUndefined();
    const names = await readdir(join(layout.dir, 'blobs', 'sha256'));
    for (const name of names) {
      expect(sha256(await readFile(join(layout.dir, 'blobs', 'sha256', name)))).toBe(`sha256:${name}`);
    }
    // 3 layers + config + manifest, no temp files left behind.
    expect(names).toHaveLength(5);
    expect(layout.blobs.map((b) => b.size).slice(0, 3)).toEqual([0, 1, 3 << 20]);
    for (const b of layout.blobs)
      expect((await stat(join(layout.dir, 'blobs', 'sha256', b.digest.slice(7)))).size).toBe(b.size);
    const manifest = JSON.parse(
      await readFile(join(layout.dir, 'blobs', 'sha256', layout.manifestDigests[0]!.slice(7)), 'utf8'),
    );
    expect(manifest.annotations).toEqual({ 'org.opencontainers.image.title': 'gen' });
    const config = JSON.parse(
      await readFile(join(layout.dir, 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'),
    );
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers' } });
    expect(config.rootfs.diff_ids).toHaveLength(3);
  });

  it('free ports are distinct and bindable', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(a).not.toBe(b);
  });
});

describe.each(REGISTRY_KINDS)('%s registry', (kind) => {
  describe('registry without auth', () => {
    let registry: RunningRegistry;
    let single: OciLayout;
    let multi: OciLayout;

    beforeAll(async () => {
      registry = await startRegistry({ auth: 'none', kind });
      single = await writeOciLayout(join(work, 'single'), { tag: 'v1', layers: [2048, 4096] });
      multi = await writeOciLayout(join(work, 'multi'), {
        tag: 'multi',
        platforms: THREE_PLATFORMS,
        layers: [1024],
      });
    }, 60_000);
    afterAll(async () => {
      await registry?.stop();
    });

    it('listens on loopback and answers /v2/ with 200', async () => {
      expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(registry.url).toBe(`http://${registry.host}`);
      expect((await get(`${registry.url}/v2/`)).status).toBe(200);
    });

    it('(a) serves a skopeo-pushed manifest whose sha256 equals skopeoDigest', async () => {
      await pushLayout(single.dir, 'v1', `${registry.host}/harness/single:v1`);
      const res = await get(`${registry.url}/v2/harness/single/manifests/v1`, { accept: OCI_MANIFEST });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(OCI_MANIFEST);
      const digest = sha256(res.body);
      expect(digest).toBe(await skopeoDigest(`docker://${registry.host}/harness/single:v1`));
      expect(digest).toBe(single.manifestDigests[0]);
      expect(res.headers['docker-content-digest']).toBe(digest);
      const manifest = JSON.parse(res.body.toString('utf8'));
      expect(manifest.layers.map((l: { size: number }) => l.size)).toEqual([2048, 4096]);
      const layer = await get(`${registry.url}/v2/harness/single/blobs/${single.blobs[0]!.digest}`);
      expect(sha256(layer.body)).toBe(single.blobs[0]!.digest);
    });

    it('(c) keeps a 3-platform index digest through skopeo copy --all', async () => {
      await pushLayout(multi.dir, 'multi', `${registry.host}/harness/multi:1.0`);
      const ref = `docker://${registry.host}/harness/multi:1.0`;
      expect(multi.indexDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await skopeoDigest(ref)).toBe(multi.indexDigest);
      const raw = (await skopeoInspect(ref, { raw: true })) as {
        mediaType: string;
        manifests: Array<{ digest: string; platform: { architecture: string } }>;
      };
      expect(raw.mediaType).toBe(OCI_INDEX);
      expect(raw.manifests.map((m) => m.digest)).toEqual(multi.manifestDigests);
      expect(raw.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64', 'arm']);
      for (const digest of multi.manifestDigests) {
        const res = await get(`${registry.url}/v2/harness/multi/manifests/${digest}`, {
          accept: OCI_MANIFEST,
        });
        expect(sha256(res.body)).toBe(digest);
      }
    });

    it('gives every skopeo call a fresh blob-info cache, so pushes never turn into cross-repo mounts', async () => {
      const debug = { extraArgs: ['--debug'] };
      const first = await pushLayout(single.dir, 'v1', `${registry.host}/cache/one:v1`, undefined, debug);
      const second = await pushLayout(single.dir, 'v1', `${registry.host}/cache/two:v1`, undefined, debug);
      for (const { stderr } of [first, second]) {
        expect(stderr).toMatch(/Using blob info cache at \S*dh-skopeo-\w+\/data\/containers\/cache\//);
        expect(stderr).not.toContain('/var/lib/containers');
        expect(stderr).not.toMatch(/Trying to mount|reuse cached location/);
      }
      // Control: with one shared cache the same two pushes do mount, so the check above means something.
      const shared = { ...debug, env: { XDG_DATA_HOME: join(work, 'shared-cache') } };
      await pushLayout(single.dir, 'v1', `${registry.host}/cache/three:v1`, undefined, shared);
      const mounted = await pushLayout(single.dir, 'v1', `${registry.host}/cache/four:v1`, undefined, shared);
      expect(mounted.stderr).toMatch(
        /Trying to mount \/v2\/cache\/four\/blobs\/uploads\/\?from=cache%2Fthree/,
      );
    });
  });

  describe('registry with token auth', () => {
    let tokens: TokenServer;
    let registry: RunningRegistry;
    let layout: OciLayout;
    const repo = 'secure/app';

    async function fetchToken(scope: string[], basic?: string) {
      const q = new URLSearchParams({ service: tokens.service });
      for (const s of scope) q.append('scope', s);
      const headers: Record<string, string> = basic
        ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` }
        : {};
      const res = await get(`${tokens.realm}?${q}`, headers);
      return { status: res.status, json: JSON.parse(res.body.toString('utf8')) };
    }

    beforeAll(async () => {
      tokens = await startTokenServer({ users: { [USER]: PASSWORD } });
      registry = await startRegistry({ auth: 'token', tokenServer: tokens, kind });
      layout = await writeOciLayout(join(work, 'secure'), { tag: 'v1', layers: [1500, 3000] });
    }, 60_000);
    afterAll(async () => {
      await registry?.stop();
      await tokens?.stop();
    });

    it('challenges anonymous requests with a Bearer realm and service', async () => {
      const res = await get(`${registry.url}/v2/`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="${tokens.realm}",service="${tokens.service}"`,
      );
    });

    it('lets skopeo push with credentials, and records the scopes it asked for', async () => {
      tokens.reset();
      await pushLayout(layout.dir, 'v1', `${registry.host}/${repo}:v1`, `${USER}:${PASSWORD}`);
      expect(tokens.requests.length).toBeGreaterThan(0);
      expect(tokens.requests).toContainEqual({
        scope: [`repository:${repo}:pull,push`],
        account: USER,
        authenticated: true,
      });
    });

    it('serves the manifest with a hand-fetched token (Basic auth)', async () => {
      tokens.reset();
      const { status, json } = await fetchToken([`repository:${repo}:pull`], `${USER}:${PASSWORD}`);
      expect(status).toBe(200);
      expect(json.token).toBe(json.access_token);
      expect(json.expires_in).toBe(300);
      expect(new Date(json.issued_at).getTime()).toBeLessThanOrEqual(Date.now());
      expect(jwtClaims(json.token)).toMatchObject({
        sub: USER,
        aud: tokens.service,
        access: [{ name: repo, actions: ['pull'] }],
      });
      expect(tokens.requests).toEqual([
        { scope: [`repository:${repo}:pull`], account: USER, authenticated: true },
      ]);

      const res = await get(`${registry.url}/v2/${repo}/manifests/v1`, {
        accept: OCI_MANIFEST,
        authorization: `Bearer ${json.token}`,
      });
      expect(res.status).toBe(200);
      expect(sha256(res.body)).toBe(
        await skopeoDigest(`docker://${registry.host}/${repo}:v1`, { creds: `${USER}:${PASSWORD}` }),
      );
      expect(sha256(res.body)).toBe(layout.manifestDigests[0]);
    });

    it('grants anonymous clients pull only: pulling works, pushing is refused', async () => {
      tokens.reset();
      const { status, json } = await fetchToken([`repository:${repo}:pull,push`]);
      expect(status).toBe(200);
      expect(jwtClaims(json.token)).toMatchObject({ sub: '', access: [{ name: repo, actions: ['pull'] }] });
      expect(tokens.requests).toStrictEqual([
        { scope: [`repository:${repo}:pull,push`], authenticated: false },
      ]);
      const auth = { authorization: `Bearer ${json.token}` };

      const pull = await get(`${registry.url}/v2/${repo}/manifests/v1`, { accept: OCI_MANIFEST, ...auth });
      expect(pull.status).toBe(200);
      const push = await request(`${registry.url}/v2/${repo}/blobs/uploads/`, {
        method: 'POST',
        dispatcher: agent,
        headers: auth,
      });
      await push.body.dump();
      expect(push.statusCode).toBe(401);
      expect(push.headers['www-authenticate']).toContain('error="insufficient_scope"');
    });

    it('refuses a wrong password at the token server with a 401 JSON error', async () => {
      tokens.reset();
      const { status, json } = await fetchToken([`repository:${repo}:pull`], `${USER}:not-the-password`);
      expect(status).toBe(401);
      expect(json.errors[0].code).toBe('UNAUTHORIZED');
      expect(tokens.requests).toStrictEqual([
        { scope: [`repository:${repo}:pull`], account: USER, authenticated: false },
      ]);
    });

    it('supports the OAuth2 POST flow: password grant with a refresh token, then refresh_token grant', async () => {
      const post = async (form: Record<string, string>) => {
        const res = await request(tokens.realm, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ service: tokens.service, client_id: 'harness', ...form }).toString(),
        });
        return { status: res.statusCode, json: (await res.body.json()) as Record<string, string> };
      };
      const first = await post({
        grant_type: 'password',
        username: USER,
        password: PASSWORD,
        access_type: 'offline',
      });
      expect(first.status).toBe(200);
      expect(first.json.refresh_token).toBeTruthy();
      const refreshed = await post({
        grant_type: 'refresh_token',
        refresh_token: first.json.refresh_token!,
        scope: `repository:${repo}:pull`,
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.json.scope).toBe(`repository:${repo}:pull`);
      const res = await get(`${registry.url}/v2/${repo}/manifests/v1`, {
        accept: OCI_MANIFEST,
        authorization: `Bearer ${refreshed.json.access_token}`,
      });
      expect(res.status).toBe(200);
      expect((await post({ grant_type: 'password', username: USER, password: 'nope' })).status).toBe(401);
      expect((await post({ grant_type: 'refresh_token', refresh_token: 'unknown' })).status).toBe(401);
    });
  });
});

describe('registry lifecycle', () => {
  it('starts the built-in registry in process on request, and stop() removes its temp dirs', async () => {
    const registry = await startRegistry({ kind: 'builtin' });
    try {
      expect(registry.kind).toBe('builtin');
      expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(existsSync(registry.storageDir)).toBe(true);
      expect((await get(`${registry.url}/v2/`)).headers['docker-distribution-api-version']).toBe(
        'registry/2.0',
      );
    } finally {
      await registry.stop();
    }
    await registry.stop();
    expect(existsSync(join(registry.storageDir, '..'))).toBe(false);
    await expect(request(`${registry.url}/v2/`, { dispatcher: agent })).rejects.toThrow();
  });

  it('picks the implementation from DOCKERHUB_TEST_REGISTRY when no kind is given', async () => {
    vi.stubEnv('DOCKERHUB_TEST_REGISTRY', 'builtin');
    try {
      const registry = await startRegistry();
      await registry.stop();
      expect(registry.kind).toBe('builtin');
      vi.stubEnv('DOCKERHUB_TEST_REGISTRY', 'zot');
      await expect(startRegistry()).rejects.toThrow(/DOCKERHUB_TEST_REGISTRY must be/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('stop() kills the registry and removes its temp dirs, and may be called twice', async () => {
    const registry = await startRegistry({ kind: 'distribution' });
    try {
      expect(existsSync(registry.storageDir)).toBe(true);
    } finally {
      await registry.stop();
    }
    await registry.stop();
    expect(existsSync(join(registry.storageDir, '..'))).toBe(false);
    await expect(request(`${registry.url}/v2/`, { dispatcher: agent })).rejects.toThrow();
  });

  it('kills a registry whose test never stopped it when the worker gets SIGTERM', async () => {
    // A stand-in for a vitest worker: plain Node (which strips types; a resolve hook maps our `.js`
    // specifiers to the `.ts` files) starts a registry, never stops it, and is terminated as vitest does.
    const script = join(work, 'orphan.mjs');
    const helper = pathToFileURL(join(process.cwd(), 'tests/helpers/registry.ts')).href;
    await writeFile(
      script,
      [
        "import { registerHooks } from 'node:module';",
        'registerHooks({ resolve(spec, ctx, next) {',
        "  try { return next(spec, ctx); } catch (e) { if (spec.endsWith('.js')) return next(spec.slice(0, -3) + '.ts', ctx); throw e; }",
        '} });',
        `const { startRegistry } = await import(${JSON.stringify(helper)});`,
        "const r = await startRegistry({ kind: 'distribution' });",
        "process.stdout.write(JSON.stringify({ url: r.url, storageDir: r.storageDir }) + '\\n');",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--no-warnings', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const started = await new Promise<{ url: string; storageDir: string }>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(JSON.parse(out));
        });
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
        });
        child.once('exit', () => reject(new Error(`orphan script exited early: ${err}`)));
      });
      expect((await get(`${started.url}/v2/`)).status).toBe(200);
      const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM'); // re-raised: the worker still dies of the signal
      await expect(request(`${started.url}/v2/`, { dispatcher: agent })).rejects.toThrow();
      expect(existsSync(join(started.storageDir, '..'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('fails fast with the registry log when it cannot start', async () => {
    const bogus: TokenServer = {
      realm: 'http://127.0.0.1:9/token',
      service: 's',
      issuer: 'i',
      certBundlePath: join(work, 'missing.pem'),
      requests: [],
      reset: () => {},
      stop: async () => {},
    };
    const printed = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const started = Date.now();
      await expect(
        startRegistry({ auth: 'token', tokenServer: bogus, kind: 'distribution' }),
      ).rejects.toThrow(/docker-registry exited[\s\S]*missing\.pem/);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(String(printed.mock.calls[0]?.[0])).toMatch(/^startRegistry failed:[\s\S]*missing\.pem/);
    } finally {
      printed.mockRestore();
    }
  });
});
