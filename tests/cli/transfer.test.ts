/**
 * The transfer commands as a user runs them: progress as JSON lines on stderr when not on a terminal,
 * results on stdout, a confirmation (or --force) before deleting, Ctrl-C leaving nothing behind.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_CLI, cli } from '../helpers/cli.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { skopeoDigest } from '../helpers/skopeo.js';

let registry: RunningRegistry;
let work: string;
let layout: Awaited<ReturnType<typeof writeOciLayout>>;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'none' });
  work = await mkdtemp(join(tmpdir(), 'dh-cli-transfer-'));
  layout = await writeOciLayout(join(work, 'img'), {
    tag: '1.0',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    layers: [10_000, 50_000],
  });
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('dockerhub push / pull / copy / tag / delete', () => {
  it('push reports what it did and streams JSON progress on stderr', async () => {
    const res = await cli(['push', `${layout.dir}:1.0`, `${registry.host}/c/app:1.0`]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Digest: ${layout.indexDigest}`);
    expect(res.stdout).toMatch(/Blobs:\s+6: 6 uploaded, 0 already there/);
    const events = res.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).progress);
    expect(events[0]).toEqual({ type: 'plan', blobs: 6, bytes: expect.any(Number) });
    expect(events.filter((e) => e.type === 'blob-done')).toHaveLength(6);
    expect(events.at(-1)).toEqual({
      type: 'done',
      digest: layout.indexDigest,
      reference: `${registry.host}/c/app:1.0`,
    });
  });

  it('pull --quiet prints only the result; --json gives it as data', async () => {
    const quiet = await cli(['pull', `${registry.host}/c/app:1.0`, join(work, 'p1'), '--quiet']);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('Pulled:');
    const json = await cli([
      '--json',
      'pull',
      `${registry.host}/c/app:1.0`,
      join(work, 'p2'),
      '-q',
      '--platform',
      'linux/arm64',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ manifests: 1, blobs: 3 });
  });

  it('copy and tag keep the digest', async () => {
    const copy = await cli([
      '--json',
      'copy',
      `${registry.host}/c/app:1.0`,
      `${registry.host}/c/copy:1.0`,
      '-q',
    ]);
    expect(JSON.parse(copy.stdout)).toMatchObject({ digest: layout.indexDigest, uploaded: 0, skipped: 6 });
    const tag = await cli(['tag', `${registry.host}/c/copy:1.0`, 'stable']);
    expect(tag.stdout).toBe(`${registry.host}/c/copy:stable → ${layout.indexDigest}\n`);
    expect(await skopeoDigest(`docker://${registry.host}/c/copy:stable`)).toBe(layout.indexDigest);
  });

  it('delete asks first, refuses without a terminal, and deletes with --force', async () => {
    const noTty = await cli(['delete', `${registry.host}/c/copy:stable`]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toBe(
      'dockerhub: refusing to delete without confirmation: run in a terminal or pass --force\n',
    );
    const forced = await cli(['delete', `${registry.host}/c/copy:stable`, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe(`deleted ${registry.host}/c/copy:stable (${layout.indexDigest})\n`);
    const gone = await cli(['digest', `${registry.host}/c/copy:1.0`]);
    expect(gone.code).toBe(1);
  });

  it('bad flags are one-line errors before any transfer', async () => {
    const res = await cli(['pull', `${registry.host}/c/app:1.0`, join(work, 'p3'), '--concurrency', '0']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('dockerhub: --concurrency must be an integer from 1 to 64, got "0"\n');
    expect(await readdir(work)).not.toContain('p3');
  });

  it('Ctrl-C during a pull exits 130 and leaves no partial layout', async () => {
    const big = await writeOciLayout(join(work, 'big'), { tag: 'b', layers: [200_000_000] });
    await cli(['push', `${big.dir}:b`, `${registry.host}/c/big:b`, '-q']);
    const child = spawn(
      process.execPath,
      [BUILT_CLI, 'pull', `${registry.host}/c/big:b`, join(work, 'interrupted')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!interrupted && stderr.includes('"type":"blob-start"')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect((await readdir(work)).filter((n) => n.includes('interrupted'))).toEqual([]);
  }, 60_000);
});
