/**
 * The token server's signing key: an ES256 key pair plus a self-signed X.509 certificate for it.
 * distribution 2.8 trusts a token when the leaf of its `x5c` chain verifies against `rootcertbundle`, so a
 * self-signed CA certificate is both the chain and the bundle.
 */
import { webcrypto } from 'node:crypto';

/**
 * @peculiar/x509 2.x pulls in tsyringe, which insists on a Reflect metadata polyfill (`reflect-metadata`
 * is not installed). It only needs define/get(Own)Metadata, so a WeakMap-backed stand-in is enough. It is
 * installed once per process and only when no real polyfill is present.
 */
function ensureReflectMetadata(): void {
  type Meta = Map<string | symbol | undefined, Map<unknown, unknown>>;
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === 'function') return;
  const store = new WeakMap<object, Meta>();
  const own = (target: object, prop?: string | symbol) => store.get(target)?.get(prop);
  r.defineMetadata = (key: unknown, value: unknown, target: object, prop?: string | symbol) => {
    const byProp: Meta = store.get(target) ?? new Map();
    store.set(target, byProp);
    const entries = byProp.get(prop) ?? new Map();
    byProp.set(prop, entries);
    entries.set(key, value);
  };
  r.getOwnMetadata = (key: unknown, target: object, prop?: string | symbol) => own(target, prop)?.get(key);
  r.getMetadata = (key: unknown, target: object, prop?: string | symbol) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const entries = own(t, prop);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  };
}

export interface SigningKey {
  privateKey: webcrypto.CryptoKey;
  /** DER of the self-signed certificate, base64 (standard alphabet), as the JWT `x5c` header wants it. */
  x5c: string;
  /** The same certificate as PEM, for the registry's `rootcertbundle`. */
  certPem: string;
}

export async function createSigningKey(commonName = 'dockerhub-emulator'): Promise<SigningKey> {
  ensureReflectMetadata();
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Date.now().toString(16),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60 * 60_000),
    notAfter: new Date(now + 24 * 60 * 60_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return {
    privateKey: keys.privateKey,
    x5c: Buffer.from(cert.rawData).toString('base64'),
    certPem: cert.toString('pem'),
  };
}
