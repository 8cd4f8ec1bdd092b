/**
 * Direct registry writes for test setup (the SDK's write side is tested elsewhere): put a manifest by
 * hand, e.g. a referrers index under the `sha256-<hex>` tag schema.
 */
import { request } from 'undici';

export async function putManifest(
  registryUrl: string,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
  authorization?: string,
): Promise<void> {
  const res = await request(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'content-type': mediaType, ...(authorization ? { authorization } : {}) },
    body: bytes,
  });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`PUT manifest ${reference}: ${res.statusCode} ${text}`);
}
