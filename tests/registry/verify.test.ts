import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DigestMismatchError, UnsupportedError } from '../../src/core/errors.js';
import { parseManifest } from '../../src/registry/manifests.js';
import { DigestVerifier, digestOf, verifyBytes } from '../../src/registry/verify.js';

const data = Buffer.from('hello registry');
const sha256 = `sha256:${createHash('sha256').update(data).digest('hex')}`;
const sha512 = `sha512:${createHash('sha512').update(data).digest('hex')}`;

async function run(digest: string, chunks: Buffer[], size?: number): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), new DigestVerifier(digest, { size }), async (src) => {
    for await (const c of src) out.push(c as Buffer);
  });
  return Buffer.concat(out);
}

describe('digest verification', () => {
  it('passes content that matches sha256 and sha512 digests', async () => {
    expect(await run(sha256, [data.subarray(0, 5), data.subarray(5)])).toEqual(data);
    expect(await run(sha512, [data], data.length)).toEqual(data);
    expect(verifyBytes(data, sha512)).toBe(sha512);
    expect(digestOf(data)).toBe(sha256);
  });

  it('fails wrong, short and long content', async () => {
    await expect(run(sha256, [Buffer.from('hello registrY')])).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(run(sha256, [data.subarray(0, 4)], data.length)).rejects.toThrow(/4 of 14 bytes/);
    await expect(run(sha256, [data, data], data.length)).rejects.toThrow(/more than 14 bytes/);
    expect(() => verifyBytes(data, `sha256:${'0'.repeat(64)}`)).toThrow(DigestMismatchError);
  });

  it('refuses algorithms it cannot check', () => {
    expect(() => verifyBytes(data, `md5:${'0'.repeat(32)}`)).toThrow(UnsupportedError);
  });

  it('rejects manifests that are not JSON, schema 1, or of unknown shape', () => {
    expect(() => parseManifest(Buffer.from('nope'), 'x')).toThrow(/not valid JSON/);
    expect(() => parseManifest(Buffer.from('{"schemaVersion":1}'), 'x')).toThrow(
      /schema 1, which is deprecated/,
    );
    expect(() => parseManifest(Buffer.from('{"schemaVersion":2}'), 'x')).toThrow(
      /neither an image manifest nor an index/,
    );
  });
});
