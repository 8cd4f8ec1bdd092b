/**
 * The built-in registry's token auth (registry-auth token.md, jwt.md, scope.md): challenges naming the
 * scopes a request needs, and refusals for every way a token can be wrong (absent, malformed, untrusted
 * signer, wrong audience or issuer, expired, not yet valid, missing action). Tokens are minted here.
 */
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltinRegistry } from '../../src/emulator/builtin-registry/index.js';
import type { RegistryEvent, RunningRegistry } from '../../src/emulator/registry-types.js';
import { createSigningKey, type SigningKey } from '../helpers/signing-key.js';
import { OCI_MANIFEST, pushImage, sha256, Wire } from './wire.js';

const REALM = 'http://127.0.0.1:9/token';
const SERVICE = 'builtin-test';
const ISSUER = 'builtin-test-issuer';

interface Access {
  type: string;
  name: string;
  actions: string[];
}

interface MintOptions {
  access?: Access[];
  sub?: string;
  aud?: string;
  iss?: string;
  /** Seconds from now. */
  exp?: number;
  nbf?: number;
  key?: { privateKey: webcrypto.CryptoKey; x5c: string[]; alg: string };
}

let trusted: SigningKey;
let stranger: SigningKey;

function mint(opts: MintOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = opts.key ?? { privateKey: trusted.privateKey, x5c: [trusted.x5c], alg: 'ES256' };
  return new SignJWT({ access: opts.access ?? [] })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', x5c: key.x5c })
    .setIssuer(opts.iss ?? ISSUER)
    .setSubject(opts.sub ?? 'alice')
    .setAudience(opts.aud ?? SERVICE)
    .setIssuedAt(now)
    .setNotBefore(now + (opts.nbf ?? -5))
    .setExpirationTime(now + (opts.exp ?? 300))
    .sign(key.privateKey);
}

const repo = (name: string, ...actions: string[]): Access => ({ type: 'repository', name, actions });
const bearer = (token: string) => `Bearer ${token}`;

/** A CA (in the bundle) and an RS256 leaf it signed (not in the bundle), with @peculiar/x509. */
async function caSignedLeaf(caInBundle: boolean) {
  await createSigningKey(); // installs the Reflect metadata stand-in @peculiar/x509 needs
  const x509 = await import('@peculiar/x509');
  const rsa = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const caKeys = (await webcrypto.subtle.generateKey(rsa, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const leafKeys = (await webcrypto.subtle.generateKey(rsa, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const validity = { notBefore: new Date(now - 3_600_000), notAfter: new Date(now + 86_400_000) };
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=test CA',
    ...validity,
    signingAlgorithm: rsa,
    keys: caKeys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=token signer',
    issuer: ca.subject,
    ...validity,
    signingAlgorithm: rsa,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
  });
  const der = (c: { rawData: ArrayBuffer }) => Buffer.from(c.rawData).toString('base64');
  return {
    bundle: caInBundle ? ca.toString('pem') : trusted.certPem,
    key: { privateKey: leafKeys.privateKey, x5c: [der(leaf), der(ca)], alg: 'RS256' },
    leafOnly: { privateKey: leafKeys.privateKey, x5c: [der(leaf)], alg: 'RS256' },
  };
}

beforeAll(async () => {
  trusted = await createSigningKey(ISSUER);
  stranger = await createSigningKey(ISSUER);
});

describe('built-in registry token auth', () => {
  let registry: RunningRegistry;
  let wire: Wire;
  const events: RegistryEvent[] = [];

  beforeAll(async () => {
    registry = await startBuiltinRegistry({
      auth: { realm: REALM, service: SERVICE, issuer: ISSUER, rootCertBundle: trusted.certPem },
      onEvent: (e) => events.push(e),
    });
    wire = new Wire(registry.url);
    // Content to read: pushed with a token allowed to push.
    wire.authorization = bearer(await mint({ access: [repo('acme/app', 'pull', 'push')] }));
    await pushImage(wire, 'acme/app', 'v1');
    wire.authorization = undefined;
  });
  afterAll(async () => {
    await wire?.close();
    await registry?.stop();
  });

  it('challenges requests without a token, naming the scope each one needs', async () => {
    const base = await wire.send('GET', '/v2/');
    expect(base.status).toBe(401);
    expect(base.headers['www-authenticate']).toBe(`Bearer realm="${REALM}",service="${SERVICE}"`);
    expect(base.code).toBe('UNAUTHORIZED');
    expect(base.headers['docker-distribution-api-version']).toBe('registry/2.0');

    const cases: Array<[string, string, string]> = [
      ['GET', '/v2/acme/app/manifests/v1', 'repository:acme/app:pull'],
      ['HEAD', `/v2/acme/app/blobs/sha256:${'0'.repeat(64)}`, 'repository:acme/app:pull'],
      ['POST', '/v2/acme/app/blobs/uploads/', 'repository:acme/app:pull,push'],
      ['PUT', '/v2/acme/app/manifests/v2', 'repository:acme/app:pull,push'],
      ['DELETE', '/v2/acme/app/manifests/v1', 'repository:acme/app:delete'],
      [
        'POST',
        `/v2/acme/copy/blobs/uploads/?mount=${sha256('x')}&from=acme/app`,
        'repository:acme/copy:pull,push repository:acme/app:pull',
      ],
      ['GET', '/v2/_catalog', 'registry:catalog:*'],
    ];
    for (const [method, path, scope] of cases) {
      const reply = await wire.send(method, path);
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.headers['www-authenticate']).toBe(
        `Bearer realm="${REALM}",service="${SERVICE}",scope="${scope}"`,
      );
    }
    const manifest = await wire.send('GET', '/v2/acme/app/manifests/v1');
    expect(manifest.json).toEqual({
      errors: [
        {
          code: 'UNAUTHORIZED',
          message: 'authentication required',
          detail: [{ Type: 'repository', Name: 'acme/app', Action: 'pull' }],
        },
      ],
    });
  });

  it('serves a request whose token grants the action', async () => {
    const token = bearer(await mint({ access: [repo('acme/app', 'pull')] }));
    expect((await wire.send('GET', '/v2/', { headers: { authorization: token } })).status).toBe(200);
    const got = await wire.send('GET', '/v2/acme/app/manifests/v1', { headers: { authorization: token } });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe(OCI_MANIFEST);
    // A second use of the same token (served from the verification cache) works as well.
    expect(
      (await wire.send('GET', '/v2/acme/app/tags/list', { headers: { authorization: token } })).json,
    ).toEqual({
      name: 'acme/app',
      tags: ['v1'],
    });
  });

  it('refuses a missing action with 401 insufficient_scope, naming what is needed', async () => {
    const pullOnly = bearer(await mint({ access: [repo('acme/app', 'pull')] }));
    const push = await wire.send('POST', '/v2/acme/app/blobs/uploads/', {
      headers: { authorization: pullOnly },
    });
    expect(push.status).toBe(401);
    expect(push.code).toBe('UNAUTHORIZED');
    expect(push.headers['www-authenticate']).toBe(
      `Bearer realm="${REALM}",service="${SERVICE}",scope="repository:acme/app:pull,push",error="insufficient_scope"`,
    );
    const otherRepo = bearer(await mint({ access: [repo('acme/other', 'pull', 'push', 'delete')] }));
    expect(
      (await wire.send('GET', '/v2/acme/app/manifests/v1', { headers: { authorization: otherRepo } })).status,
    ).toBe(401);
    const pushOnly = bearer(await mint({ access: [repo('acme/app', 'pull', 'push')] }));
    const del = await wire.send('DELETE', '/v2/acme/app/manifests/v1', {
      headers: { authorization: pushOnly },
    });
    expect(del.headers['www-authenticate']).toContain('error="insufficient_scope"');
    const catalog = await wire.send('GET', '/v2/_catalog', { headers: { authorization: pushOnly } });
    expect(catalog.status).toBe(401);
    const empty = bearer(await mint({ access: [] }));
    expect((await wire.send('GET', '/v2/', { headers: { authorization: empty } })).status).toBe(200);
  });

  it('refuses tokens that are expired, early, for another audience or issuer, or malformed', async () => {
    const access = [repo('acme/app', 'pull')];
    const refused: Array<[string, string]> = [
      ['expired', bearer(await mint({ access, exp: -120 }))],
      ['not yet valid', bearer(await mint({ access, nbf: 600, exp: 900 }))],
      ['wrong audience', bearer(await mint({ access, aud: 'another-registry' }))],
      ['wrong issuer', bearer(await mint({ access, iss: 'someone-else' }))],
      ['not a JWT', 'Bearer not.a.jwt'],
      ['garbage', 'Bearer %%%'],
      ['Basic credentials', `Basic ${Buffer.from('alice:pw').toString('base64')}`],
    ];
    for (const [why, authorization] of refused) {
      const reply = await wire.send('GET', '/v2/acme/app/manifests/v1', { headers: { authorization } });
      expect(reply.status, why).toBe(401);
      expect(reply.headers['www-authenticate'], why).toBe(
        `Bearer realm="${REALM}",service="${SERVICE}",scope="repository:acme/app:pull",error="invalid_token"`,
      );
      expect(JSON.stringify(reply.json)).not.toContain(authorization.slice(7, 40));
    }
  });

  it('refuses tokens not signed by a trusted certificate', async () => {
    const access = [repo('acme/app', 'pull')];
    const get = async (token: string) =>
      (await wire.send('GET', '/v2/acme/app/manifests/v1', { headers: { authorization: bearer(token) } }))
        .status;
    // Signed by another key with its own certificate.
    const own = await mint({
      access,
      key: { privateKey: stranger.privateKey, x5c: [stranger.x5c], alg: 'ES256' },
    });
    expect(await get(own)).toBe(401);
    // Signed by another key while presenting the trusted certificate: the signature fails.
    const forged = await mint({
      access,
      key: { privateKey: stranger.privateKey, x5c: [trusted.x5c], alg: 'ES256' },
    });
    expect(await get(forged)).toBe(401);
    // No x5c at all.
    const bare = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(SERVICE)
      .setExpirationTime('5m')
      .sign(trusted.privateKey);
    expect(await get(bare)).toBe(401);
    // An algorithm outside ES256/RS256.
    const hs = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'HS256', x5c: [trusted.x5c] })
      .setIssuer(ISSUER)
      .setAudience(SERVICE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a shared secret of enough length!'));
    expect(await get(hs)).toBe(401);
    expect(await get(await mint({ access }))).toBe(200);
  });

  it('honours wildcard actions and ignores resource classes', async () => {
    const star = bearer(await mint({ access: [repo('acme/app', '*')] }));
    expect(
      (await wire.send('GET', '/v2/acme/app/manifests/v1', { headers: { authorization: star } })).status,
    ).toBe(200);
    const plugin = bearer(
      await mint({ access: [{ type: 'repository(plugin)', name: 'acme/app', actions: ['pull'] }] }),
    );
    expect(
      (await wire.send('GET', '/v2/acme/app/manifests/v1', { headers: { authorization: plugin } })).status,
    ).toBe(200);
    const catalog = bearer(await mint({ access: [{ type: 'registry', name: 'catalog', actions: ['*'] }] }));
    const list = await wire.send('GET', '/v2/_catalog', { headers: { authorization: catalog } });
    expect(list.json).toEqual({ repositories: ['acme/app'] });
  });

  it('names the token subject as the actor of push and delete events', async () => {
    events.length = 0;
    wire.authorization = bearer(
      await mint({ sub: 'bob', access: [repo('acme/app', 'pull', 'push', 'delete')] }),
    );
    try {
      const image = await pushImage(wire, 'acme/app', 'by-bob', { layers: ['bob layer'] });
      expect((await wire.send('DELETE', '/v2/acme/app/manifests/by-bob')).status).toBe(202);
      expect(events).toEqual([
        expect.objectContaining({ action: 'push', tag: 'by-bob', digest: image.digest, actor: 'bob' }),
        expect.objectContaining({ action: 'delete', tag: 'by-bob', digest: image.digest, actor: 'bob' }),
      ]);
    } finally {
      wire.authorization = undefined;
    }
  });

  it('mounts only from a repository the token may pull; otherwise it opens an upload session', async () => {
    const layer = sha256('layer one'); // pushed into acme/app by beforeAll
    const path = `/v2/acme/copy/blobs/uploads/?mount=${layer}&from=acme/app`;
    const noPull = bearer(await mint({ access: [repo('acme/copy', 'pull', 'push')] }));
    const fallback = await wire.send('POST', path, { headers: { authorization: noPull } });
    expect(fallback.status).toBe(202);
    expect(
      (await wire.send('HEAD', `/v2/acme/copy/blobs/${layer}`, { headers: { authorization: noPull } }))
        .status,
    ).toBe(404);
    const withPull = bearer(
      await mint({ access: [repo('acme/copy', 'pull', 'push'), repo('acme/app', 'pull')] }),
    );
    const mounted = await wire.send('POST', path, { headers: { authorization: withPull } });
    expect(mounted.status).toBe(201);
    expect(
      (await wire.send('HEAD', `/v2/acme/copy/blobs/${layer}`, { headers: { authorization: noPull } }))
        .status,
    ).toBe(200);
  });
});

describe('built-in registry certificate trust', () => {
  it('accepts an RS256 token whose leaf certificate a bundled CA signed', async () => {
    const { bundle, key, leafOnly } = await caSignedLeaf(true);
    const registry = await startBuiltinRegistry({
      auth: {
        realm: REALM,
        service: SERVICE,
        issuer: ISSUER,
        rootCertBundle: `${trusted.certPem}\n${bundle}`,
      },
    });
    const wire = new Wire(registry.url);
    try {
      for (const k of [key, leafOnly]) {
        const token = bearer(await mint({ key: k }));
        expect((await wire.send('GET', '/v2/', { headers: { authorization: token } })).status).toBe(200);
      }
    } finally {
      await wire.close();
      await registry.stop();
    }
  });

  it('refuses a leaf signed by a CA that is not in the bundle', async () => {
    const { bundle, key } = await caSignedLeaf(false);
    const registry = await startBuiltinRegistry({
      auth: { realm: REALM, service: SERVICE, issuer: ISSUER, rootCertBundle: bundle },
    });
    const wire = new Wire(registry.url);
    try {
      const token = bearer(await mint({ key }));
      const reply = await wire.send('GET', '/v2/', { headers: { authorization: token } });
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toContain('error="invalid_token"');
    } finally {
      await wire.close();
      await registry.stop();
    }
  });

  it('refuses to start with a bundle that holds no certificate', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const notACert = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(
      startBuiltinRegistry({
        auth: { realm: REALM, service: SERVICE, issuer: ISSUER, rootCertBundle: notACert },
      }),
    ).rejects.toThrow(/rootCertBundle holds no PEM certificate/);
  });
});
