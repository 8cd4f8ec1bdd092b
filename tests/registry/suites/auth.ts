/**
 * Token authentication against a registry with token auth (real distribution's `auth: token`, or the
 * built-in registry) trusting a token server the tests start. Also measures what `inspect` of a
 * 3-platform image costs in round trips and tokens. Run by auth(.builtin).integration.test.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, PermissionDeniedError } from '../../../src/core/errors.js';
import { inspectImage, RegistryClient } from '../../../src/registry/index.js';
import { cli } from '../../helpers/cli.js';
import { writeOciLayout } from '../../helpers/oci-image.js';
import { type RegistryKind, type RunningRegistry, startRegistry } from '../../helpers/registry.js';
import { pushLayout, skopeoDigest } from '../../helpers/skopeo.js';
import { startTokenServer, type TokenServer } from '../../helpers/token-server.js';

export function authSuite(kind: RegistryKind): void {
  describe(`[${kind} registry]`, () => {
    const USER = 'alice';
    const PASSWORD = 'SENTINEL-s3cr3t-do-not-leak';

    let tokens: TokenServer;
    let registry: RunningRegistry;
    let work: string;
    let indexDigest: string | undefined;

    /** A client with explicit credentials and a counter of registry round trips. */
    function countingClient(credentials?: { username: string; password: string }) {
      const requests: Array<{ method: string; url: string }> = [];
      const client = new RegistryClient({
        credentials: credentials
          ? { ...credentials, useDockerConfig: false, env: {} }
          : { useDockerConfig: false, env: {} },
        hooks: [{ onRequest: (r) => requests.push({ method: r.method, url: r.url }) }],
      });
      return { client, requests };
    }

    beforeAll(async () => {
      tokens = await startTokenServer({ users: { [USER]: PASSWORD }, anonymousActions: ['pull'] });
      registry = await startRegistry({ auth: 'token', tokenServer: tokens, kind });
      work = await mkdtemp(join(tmpdir(), 'dh-auth-'));
      const layout = await writeOciLayout(join(work, 'multi'), {
        tag: 'multi',
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
          { os: 'linux', architecture: 'arm', variant: 'v7' },
        ],
        layers: [2048, 1024],
      });
      indexDigest = layout.indexDigest;
      await pushLayout(layout.dir, 'multi', `${registry.host}/secure/multi:1.0`, `${USER}:${PASSWORD}`);
    }, 120_000);

    afterAll(async () => {
      await registry?.stop();
      await tokens?.stop();
      if (work) await rm(work, { recursive: true, force: true });
    });

    describe('registry token auth', () => {
      it('inspects a 3-platform image with one token request and 8 registry round trips', async () => {
        const ref = `${registry.host}/secure/multi:1.0`;
        const skopeoSays = await skopeoDigest(`docker://${ref}`, { creds: `${USER}:${PASSWORD}` });
        tokens.reset();
        const { client, requests } = countingClient({ username: USER, password: PASSWORD });
        const result = await inspectImage(client, ref);
        expect(result.digest).toBe(indexDigest);
        expect(result.digest).toBe(skopeoSays);
        expect(result.manifests).toHaveLength(3);
        // 401 challenge + index + 3 child manifests + 3 configs = 8 registry requests, and one token.
        const registryRequests = requests.filter((r) => r.url.includes(registry.host));
        expect(registryRequests).toHaveLength(8);
        expect(auth(client).tokenRequests).toBe(1);
        expect(tokens.requests).toHaveLength(1);
        expect(tokens.requests[0]).toMatchObject({
          account: USER,
          authenticated: true,
          scope: ['repository:secure/multi:pull'],
        });

        // A second inspect reuses the cached token and skips the challenge: 7 requests, no token.
        requests.length = 0;
        await inspectImage(client, ref);
        expect(requests.filter((r) => r.url.includes(registry.host))).toHaveLength(7);
        expect(tokens.requests).toHaveLength(1);
        await client.close();
      });

      it('shares one in-flight token request between concurrent callers', async () => {
        tokens.reset();
        const { client } = countingClient({ username: USER, password: PASSWORD });
        const ref = `${registry.host}/secure/multi:1.0`;
        await Promise.all([
          client.manifests.head(ref),
          client.manifests.head(ref),
          client.manifests.head(ref),
        ]);
        // Three 401s arrive together; they share the answer.
        expect(tokens.requests).toHaveLength(1);
        await client.close();
      });

      it('pulls anonymously where the token server grants anonymous pull', async () => {
        tokens.reset();
        const { client } = countingClient();
        const result = await inspectImage(client, `${registry.host}/secure/multi:1.0`);
        expect(result.digest).toBe(indexDigest);
        expect(tokens.requests[0]).toMatchObject({ authenticated: false });
        await client.close();
      });

      it('dockerhub inspect works in token mode with the Docker login, and its digests match skopeo', async () => {
        const ref = `${registry.host}/secure/multi:1.0`;
        const config = join(work, 'docker-config');
        await mkdir(config, { recursive: true });
        const authField = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
        await writeFile(
          join(config, 'config.json'),
          JSON.stringify({ auths: { [registry.host]: { auth: authField } } }),
        );
        const saved = { ...process.env };
        Object.assign(process.env, { DOCKER_CONFIG: config });
        try {
          const res = await cli(['--json', 'inspect', ref]);
          expect(res.code).toBe(0);
          const data = JSON.parse(res.stdout) as { digest: string; manifests: Array<{ digest: string }> };
          expect(data.digest).toBe(await skopeoDigest(`docker://${ref}`, { creds: `${USER}:${PASSWORD}` }));
          expect(data.manifests).toHaveLength(3);
          for (const m of data.manifests) {
            expect(m.digest).toBe(
              await skopeoDigest(`docker://${registry.host}/secure/multi@${m.digest}`, {
                creds: `${USER}:${PASSWORD}`,
              }),
            );
          }
          const text = await cli(['inspect', ref]);
          expect(text.stdout).toContain(data.digest);
          expect(text.stdout + text.stderr).not.toContain(PASSWORD);
        } finally {
          process.env = saved;
        }
      });

      it('cancels an upload session under token auth (distribution wants the delete scope for it)', async () => {
        const { client } = countingClient({ username: USER, password: PASSWORD });
        const repo = { registry: registry.host, repository: 'secure/uploads' };
        const session = await client.uploads.startSession(repo);
        await client.uploads.cancel(repo, session.location);
        await expect(client.uploads.status(repo, session.location)).rejects.toMatchObject({ status: 404 });
        await client.close();
      });

      it('tells a token without the scope (anonymous push) from refused credentials', async () => {
        const { client } = countingClient();
        const repo = { registry: registry.host, repository: 'secure/anon' };
        const err = await client.uploads.startSession(repo).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PermissionDeniedError);
        expect((err as PermissionDeniedError).status).toBe(401);
        expect((err as Error).message).toMatch(
          /no pull,push access to .*\/secure\/anon for these credentials/,
        );
        await client.close();
      });

      it('reports refused credentials clearly without echoing the password', async () => {
        const { client } = countingClient({ username: USER, password: 'wrong-password-123' });
        const err = await inspectImage(client, `${registry.host}/secure/multi:1.0`).catch((e) => e);
        expect(err).toBeInstanceOf(AuthenticationError);
        expect(err.message).toMatch(/refused the credentials \(from options\)/);
        expect(err.message).not.toContain('wrong-password-123');
        expect(JSON.stringify(err)).not.toContain('wrong-password-123');
        await client.close();
      });
    });

    function auth(client: RegistryClient) {
      return client.auth;
    }
  });
}
