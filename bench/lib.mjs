// Helpers for the benchmark: a local distribution registry, synthetic OCI layouts, timed runs.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function startRegistry(root) {
  const port = await freePort();
  const dir = await mkdtemp(join(root, 'registry-'));
  const config = join(dir, 'config.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log: { level: error }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: 127.0.0.1:${port}, secret: ${randomBytes(8).toString('hex')} }`,
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 200) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    async stop() {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function writeRandomBlob(dir, size) {
  const temp = join(dir, `tmp-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  const out = createWriteStream(temp);
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  let left = size;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    randomFillSync(chunk, 0, n);
    if (left === size) chunk[0] = 0; // never looks like a gzip/zstd magic number
    const part = Buffer.from(chunk.subarray(0, n));
    hash.update(part);
    if (!out.write(part)) await new Promise((r) => out.once('drain', r));
    left -= n;
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  const digest = `sha256:${hash.digest('hex')}`;
  await rename(temp, join(dir, digest.slice(7)));
  return { digest, size };
}

async function writeJsonBlob(dir, value) {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await writeFile(join(dir, digest.slice(7)), bytes);
  return { digest, size: bytes.length };
}

/** An OCI layout with random layers: `platforms` images (an index when more than one). */
export async function makeLayout(dir, { tag, layers, platforms = [{ os: 'linux', architecture: 'amd64' }] }) {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests = [];
  for (const platform of platforms) {
    const layerDescs = [];
    for (const size of layers) {
      const b = await writeRandomBlob(blobs, size);
      layerDescs.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...b });
    }
    const config = await writeJsonBlob(blobs, {
      ...platform,
      rootfs: { type: 'layers', diff_ids: layerDescs.map((l) => l.digest) },
      config: {},
    });
    const manifest = await writeJsonBlob(blobs, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: layerDescs,
    });
    manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform });
  }
  let top = manifests[0];
  if (platforms.length > 1) {
    const index = await writeJsonBlob(blobs, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests,
    });
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', ...index };
  }
  const { platform: _p, ...desc } = top;
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...desc, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
  return { dir, tag, digest: top.digest };
}

/** Runs a command under GNU time; returns wall seconds and peak RSS in MB. */
export async function timed(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${stderr.slice(-800)}`));
        return;
      }
      const kb = Number(stderr.trim().split('\n').at(-1));
      resolve({ seconds, rssMB: kb / 1024 });
    });
  });
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function skopeoEnv(root) {
  // A fresh blob-info cache per call: skopeo's machine-wide cache would turn copies into mounts.
  const d = await mkdtemp(join(root, 'skopeo-'));
  return { XDG_DATA_HOME: d, XDG_CONFIG_HOME: d, XDG_RUNTIME_DIR: d, _CONTAINERS_ROOTLESS_UID: '4242' };
}

export { tmpdir };
