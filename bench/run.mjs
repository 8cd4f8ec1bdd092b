#!/usr/bin/env node
// Side-by-side benchmark: dockerhub (this repo's CLI) against skopeo, pull / push / copy on local
// distribution registries, alternating tools, medians of several runs, ratios from the same run.
// Usage: npm run bench [-- --runs 3 --only push --shapes 300,6-platform --out docs/benchmarks.md]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeLayout, median, skopeoEnv, startRegistry, timed, tmpdir } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'dist', 'bin', 'dockerhub.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const RUNS = Number(opt('runs', '3'));
const ONLY = opt('only', 'push,pull,copy').split(',');
const OUT = opt('out', undefined);
/** Comma-separated parts of shape names to run (e.g. `--shapes 300,6-platform`); default all. */
const SHAPES = opt('shapes', '').split(',').filter(Boolean);
const MB = 1024 * 1024;
const KB = 1024;

/** The single-layer image whose blob also measures the registry's own GET and PUT speed with curl. */
const BIG = { name: '1 × 256 MB', layers: [256 * MB] };
const scenarios = [
  BIG,
  { name: '8 × 32 MB', layers: Array(8).fill(32 * MB) },
  { name: '64 × 1 MB', layers: Array(64).fill(MB) },
  {
    name: '3-platform index (3 × 2 × 4 MB)',
    layers: [4 * MB, 4 * MB],
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ],
  },
  { name: '300 × 16 KB', layers: Array(300).fill(16 * KB) },
  {
    name: '6-platform index (6 × 2 × 1 MB)',
    layers: [MB, MB],
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'ppc64le' },
      { os: 'linux', architecture: 's390x' },
    ],
  },
].filter((s) => SHAPES.length === 0 || SHAPES.some((part) => s.name.includes(part)));

/** curl's GET and monolithic PUT of the big image's layer: what the registry itself can serve and ingest. */
function curlBounds(host, big) {
  const repo = `seed/${big.digest.slice(7, 19)}`;
  const layer = JSON.parse(
    execFileSync('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${host}/${repo}:v1`,
    ]).toString(),
  ).layers[0];
  const curlGet = curlSeconds([`http://${host}/v2/${repo}/blobs/${layer.digest}`]);
  const loc = spawnSync('curl', [
    '-s',
    '-i',
    '-X',
    'POST',
    `http://${host}/v2/rawput/blobs/uploads/`,
  ]).stdout.toString();
  const location = /location: (\S+)/i.exec(loc)?.[1];
  const sep = location?.includes('?') ? '&' : '?';
  const curlPut = curlSeconds([
    '-X',
    'PUT',
    '-H',
    'content-type: application/octet-stream',
    '--data-binary',
    `@${join(big.dir, 'blobs', 'sha256', layer.digest.slice(7))}`,
    `${location}${sep}digest=${layer.digest}`,
  ]);
  console.error(
    `curl GET 256 MB blob: ${curlGet.toFixed(2)} s; curl monolithic PUT 256 MB: ${curlPut.toFixed(2)} s`,
  );
  return { curlGet, curlPut };
}

function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  const skopeo = execFileSync('skopeo', ['--version']).toString().trim();
  const registry = execFileSync('docker-registry', ['--version']).toString().trim();
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM, Node ${process.version}, ${skopeo}, ${registry}`;
}

function sha256Rate() {
  const buf = randomBytes(256 * MB);
  const t = process.hrtime.bigint();
  createHash('sha256').update(buf).digest();
  return 256 / (Number(process.hrtime.bigint() - t) / 1e9);
}

function curlSeconds(curlArgs) {
  const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', ...curlArgs]);
  return Number(r.stdout.toString());
}

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'dh-bench-'));
  const a = await startRegistry(root);
  const b = await startRegistry(root);
  const rows = [];
  let seq = 0;
  const fresh = (host, s) => `${host}/bench/r${seq++}-${s}`;
  try {
    console.error(`machine: ${machine()}`);
    const sha = sha256Rate();
    console.error(`sha256 single core: ${sha.toFixed(0)} MB/s`);
    const layouts = [];
    for (const [i, s] of scenarios.entries()) {
      const l = await makeLayout(join(root, `layout-${i}`), {
        tag: 'v1',
        layers: s.layers,
        platforms: s.platforms,
      });
      const bytes = s.layers.reduce((n, x) => n + x, 0) * (s.platforms?.length ?? 1);
      layouts.push({ ...s, ...l, bytes });
    }
    // Seed registry A with every image (for pull and copy), pushed by skopeo.
    for (const l of layouts) {
      execFileSync(
        'skopeo',
        [
          'copy',
          '--all',
          '--preserve-digests',
          '--insecure-policy',
          '--dest-tls-verify=false',
          `oci:${l.dir}:v1`,
          `docker://${a.host}/seed/${l.digest.slice(7, 19)}:v1`,
        ],
        {
          env: { ...process.env, ...(await skopeoEnv(root)) },
        },
      );
    }
    // Machine limits: raw loopback throughput of the registry for the big blob (when --shapes keeps it).
    const bigAt = scenarios.indexOf(BIG);
    const { curlGet, curlPut } = bigAt >= 0 ? curlBounds(a.host, layouts[bigAt]) : {};

    for (const l of layouts) {
      const seed = `${a.host}/seed/${l.digest.slice(7, 19)}:v1`;
      const ops = {
        push: {
          ours: async () => [CLI, ['push', `${l.dir}:v1`, `${fresh(a.host, 'o')}:v1`, '-q']],
          skopeo: async () => [
            'skopeo',
            [
              'copy',
              '--all',
              '--preserve-digests',
              '--insecure-policy',
              '-q',
              '--dest-tls-verify=false',
              `oci:${l.dir}:v1`,
              `docker://${fresh(a.host, 's')}:v1`,
            ],
          ],
        },
        pull: {
          ours: async () => [CLI, ['pull', seed, join(root, `pull-${seq++}`), '-q']],
          skopeo: async () => [
            'skopeo',
            [
              'copy',
              '--all',
              '--insecure-policy',
              '-q',
              '--src-tls-verify=false',
              `docker://${seed}`,
              `oci:${join(root, `pull-${seq++}`)}:v1`,
            ],
          ],
        },
        copy: {
          ours: async () => [CLI, ['copy', seed, `${fresh(b.host, 'o')}:v1`, '-q']],
          skopeo: async () => [
            'skopeo',
            [
              'copy',
              '--all',
              '--preserve-digests',
              '--insecure-policy',
              '-q',
              '--src-tls-verify=false',
              '--dest-tls-verify=false',
              `docker://${seed}`,
              `docker://${fresh(b.host, 's')}:v1`,
            ],
          ],
        },
      };
      for (const op of ONLY) {
        const res = { ours: [], skopeo: [] };
        for (let run = 0; run < RUNS; run++) {
          // Alternate which tool goes first, so neither always gets the warmer cache.
          const order = run % 2 === 0 ? ['ours', 'skopeo'] : ['skopeo', 'ours'];
          for (const tool of order) {
            const [cmd, cmdArgs] = await ops[op][tool]();
            const env = tool === 'skopeo' ? await skopeoEnv(root) : {};
            res[tool].push(await timed(cmd, cmdArgs, env));
          }
        }
        const ours = median(res.ours.map((r) => r.seconds));
        const theirs = median(res.skopeo.map((r) => r.seconds));
        const row = {
          op,
          image: l.name,
          ours,
          skopeo: theirs,
          speedup: theirs / ours,
          oursMBs: l.bytes / MB / ours,
          skopeoMBs: l.bytes / MB / theirs,
          oursRss: Math.max(...res.ours.map((r) => r.rssMB)),
          skopeoRss: Math.max(...res.skopeo.map((r) => r.rssMB)),
        };
        rows.push(row);
        console.error(
          `${op.padEnd(5)} ${l.name.padEnd(32)} ours ${ours.toFixed(2)} s  skopeo ${theirs.toFixed(2)} s  ×${row.speedup.toFixed(2)}`,
        );
      }
    }
    const startup = [];
    for (let i = 0; i < 5; i++) startup.push((await timed(CLI, ['--version'])).seconds);
    const report = render({
      machine: machine(),
      sha,
      curlGet,
      curlPut,
      rows,
      startup: median(startup),
      runs: RUNS,
    });
    process.stdout.write(report);
    if (OUT) await writeFile(OUT, report);
  } finally {
    await a.stop();
    await b.stop();
    await rm(root, { recursive: true, force: true });
  }
}

function render({ machine, sha, curlGet, curlPut, rows, startup, runs }) {
  const f = (n, d = 2) => n.toFixed(d);
  const lines = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (bench/run.mjs): our CLI against skopeo on two local CNCF distribution',
    `registries on 127.0.0.1, alternating tools, median of ${runs} runs each; every push and copy goes to a new`,
    'repository, and every skopeo call gets a fresh blob-info cache (so neither tool mounts what an earlier run left).',
    'Speed-up is skopeo time / our time from the same run (above 1 means we are faster). Peak RSS is the',
    'largest of the runs (GNU time, whole process).',
    '',
    `Machine: ${machine}.`,
    '',
    curlGet === undefined
      ? `Machine limits: sha256 on one core ${f(sha, 0)} MB/s (curl's registry bounds need the 1 × 256 MB shape).`
      : `Machine limits: sha256 on one core ${f(sha, 0)} MB/s; curl GET of the 256 MB blob from the registry ${f(curlGet)} s\n` +
        `(${f(256 / curlGet, 0)} MB/s); curl monolithic PUT of it ${f(curlPut)} s (${f(256 / curlPut, 0)} MB/s).`,
    '',
    '| operation | image | dockerhub (s) | skopeo (s) | speed-up | dockerhub MB/s | skopeo MB/s | dockerhub peak RSS (MB) | skopeo peak RSS (MB) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.op} | ${r.image} | ${f(r.ours)} | ${f(r.skopeo)} | ×${f(r.speedup)} | ${f(r.oursMBs, 0)} | ${f(r.skopeoMBs, 0)} | ${f(r.oursRss, 0)} | ${f(r.skopeoRss, 0)} |`,
    ),
    '',
    `CLI start-up (\`dockerhub --version\`, median of 5): ${f(startup * 1000, 0)} ms.`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

await main();
