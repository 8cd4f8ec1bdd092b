/**
 * OAuth 2.1 resource-server mode: JWTs signed by a test authorization server whose JWKS is served on
 * loopback, verified for signature, issuer, audience, expiry and required scopes; the 401 challenge
 * names the RFC 9728 protected-resource metadata, which names the authorization server. A real SDK client
 * with a valid token gets in on both eras.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFor, SENTINEL } from './harness.js';
import {
  expectNoSecrets,
  type HttpUnderTest,
  httpClient,
  INITIALIZE,
  mcpHeaders,
  raw,
  startHttp,
} from './http-harness.js';

const AUDIENCE = 'https://mcp.example.test/mcp';
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let jwks: Server;
let issuer: string;
let signingKey: Key;
let strangerKey: Key;
let jwksRequests = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwks = createServer((req, res) => {
    jwksRequests++;
    if (req.url !== '/jwks') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => jwks.close(resolve));
});

const emu = emulatorFor({
  users: [{ username: 'alice', password: SENTINEL, email: 'alice@example.test' }],
  repositories: [{ namespace: 'alice', name: 'app', tags: [] }],
});
let under: HttpUnderTest | undefined;

async function start(extra: string[] = []): Promise<HttpUnderTest> {
  under = await startHttp(emu(), {
    env: {},
    argv: [
      '--oauth-jwks-url',
      `${issuer}/jwks`,
      '--oauth-issuer',
      issuer,
      '--oauth-audience',
      AUDIENCE,
      '--resource-url',
      AUDIENCE,
      '--oauth-scopes',
      'mcp:tools',
      ...extra,
    ],
  });
  return under;
}

afterEach(async () => {
  if (under) {
    expectNoSecrets(under);
    await under.close();
    under = undefined;
  }
});

interface TokenOptions {
  claims?: JWTPayload;
  key?: Key;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
}

async function token(opts: TokenOptions = {}): Promise<string> {
  return new SignJWT({ scope: 'mcp:tools openid', client_id: 'assistant-1', ...opts.claims })
    .setProtectedHeader({ alg: 'ES256', kid: opts.kid ?? 'k1' })
    .setIssuer(opts.issuer ?? issuer)
    .setAudience(opts.audience ?? AUDIENCE)
    .setSubject('user-42')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? signingKey);
}

const host = 'mcp.example.test';

async function initializeWith(u: HttpUnderTest, authorization?: string) {
  return raw(u, {
    body: INITIALIZE,
    headers: mcpHeaders({ host, ...(authorization ? { authorization } : {}) }),
  });
}

describe('OAuth resource-server mode', () => {
  it('says so at start-up and answers 401 with a challenge that names the protected-resource metadata', async () => {
    const u = await start();
    expect(u.stderr.at(-1)).toMatch(/auth: OAuth JWTs\)\n$/);
    const res = await initializeWith(u);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="Missing Authorization header", scope="mcp:tools", ' +
        'resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('publishes the RFC 9728 document, path-aware and at the root, without authentication', async () => {
    const u = await start();
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await raw(u, { method: 'GET', path, headers: { host } });
      expect(res.status, path).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.json()).toEqual({
        resource: AUDIENCE,
        authorization_servers: [issuer],
        bearer_methods_supported: ['header'],
        scopes_supported: ['mcp:tools'],
        resource_name: 'dockerhub-mcp',
      });
    }
    expect(
      (await raw(u, { method: 'POST', path: '/.well-known/oauth-protected-resource', headers: { host } }))
        .status,
    ).toBe(405);
    // The document is behind the Host check like everything but /health.
    expect(
      (
        await raw(u, {
          method: 'GET',
          path: '/.well-known/oauth-protected-resource',
          headers: { host: 'evil.test' },
        })
      ).status,
    ).toBe(403);
  });

  it('accepts a valid token', async () => {
    const u = await start();
    const res = await initializeWith(u, `Bearer ${await token()}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('"serverInfo":{"name":"dockerhub-mcp"');
  });

  it.each([
    ['expired', { expiresIn: Math.floor(Date.now() / 1000) - 3600 }, /expired/],
    ['from another issuer', { issuer: 'https://other-issuer.example' }, /expected authorization server/],
    ['for another audience', { audience: 'https://other.example/mcp' }, /not issued for this server/],
    ['signed by a key the issuer does not publish', { key: 'stranger' as const }, /signature is not valid/],
    ['naming a key id the issuer does not publish', { kid: 'k9' }, /not signed with one of/],
  ] as const)('refuses a token %s with a 401 saying why', async (_what, opts, why) => {
    const u = await start();
    const { key, ...rest } = opts as TokenOptions & { key?: 'stranger' };
    const jwt = await token({ ...rest, ...(key ? { key: strangerKey } : {}) });
    const res = await initializeWith(u, `Bearer ${jwt}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(res.headers['www-authenticate']).toContain('resource_metadata=');
    expect((res.json() as { error_description: string }).error_description).toMatch(why);
    expect(res.body).not.toContain(jwt);
  });

  it('refuses what is not a signed JWT: garbage, alg none, an HMAC token', async () => {
    const u = await start();
    const payload = Buffer.from(JSON.stringify({ iss: issuer, aud: AUDIENCE, exp: 9_999_999_999 })).toString(
      'base64url',
    );
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    const hmac = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret an attacker chose'));
    for (const jwt of ['not-a-jwt', none, hmac]) {
      const res = await initializeWith(u, `Bearer ${jwt}`);
      expect(res.status, jwt).toBe(401);
    }
  });

  it('answers 403 insufficient_scope to a valid token without the required scope', async () => {
    const u = await start();
    const res = await initializeWith(u, `Bearer ${await token({ claims: { scope: 'openid' } })}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope"/);
    expect(res.headers['www-authenticate']).toContain('scope="mcp:tools"');
  });

  it('fetches the keys once and reuses them across requests', async () => {
    const u = await start();
    const before = jwksRequests;
    for (let i = 0; i < 3; i++) expect((await initializeWith(u, `Bearer ${await token()}`)).status).toBe(200);
    expect(jwksRequests - before).toBe(1);
  });

  it.each(['legacy', 'modern'] as const)(
    'lets a real SDK client with a token in (%s era)',
    async (negotiation) => {
      const u = await start();
      const client = await httpClient(u, {
        negotiation,
        headers: { authorization: `Bearer ${await token()}` },
      });
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain('hub_repos');
        const res = await client.callTool({
          name: 'hub_repos',
          arguments: { action: 'list', namespace: 'alice' },
        });
        expect(res.isError).not.toBe(true);
      } finally {
        await client.close();
      }
    },
  );
});

describe('OAuth when the keys cannot be fetched', () => {
  it('answers 500 (a server problem, not the client token) and logs why for the operator', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    under = await startHttp(emu(), {
      env: {},
      argv: [
        '--oauth-jwks-url',
        `http://127.0.0.1:${port}/jwks`,
        '--oauth-issuer',
        issuer,
        '--oauth-audience',
        AUDIENCE,
      ],
    });
    const res = await raw(under, {
      body: INITIALIZE,
      headers: mcpHeaders({ authorization: `Bearer ${await token()}` }),
    });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ error: 'server_error' });
    expect(under.transcript.some((t) => t.includes('OAuth: fetching the JWKS failed'))).toBe(true);
  });
});
