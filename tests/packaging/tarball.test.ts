/**
 * The published package as a user gets it: `npm pack`, the tarball installed into an empty project with
 * `npm ci --offline` (from the npm cache that this checkout's own `npm install` filled; no network), then
 * used there: every `bin` answers `--version`, `npx dockerhub demo` runs end to end, the installed
 * emulator validates requests against the spec it ships (and refuses to start without it), and an ESM
 * consumer imports every subpath of `exports`, type-checks with tsc against the shipped .d.ts, and runs.
 * Bins and exports are read from package.json, so new ones are covered as they are added.
 *
 * The offline install needs a lockfile (without one npm asks the registry for version lists): the
 * consumer's is this checkout's package-lock.json minus its dev-only entries, plus the tarball. That is
 * also what a user's install resolves to today. `npm pack --ignore-scripts` packs the dist/ that
 * `pretest` built, without rebuilding it under the tests that are running from it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, renameSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STEPS } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  engines: { node: string };
  license: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
};

let work: string;
let consumer: string;
let packed: string[];

/** Our environment on Node 24 (the dev dependency), without settings that would point the package elsewhere. */
const env: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(
    (e): e is [string, string] =>
      e[1] !== undefined &&
      !e[0].startsWith('DOCKERHUB_') &&
      !e[0].startsWith('DOCKER_') &&
      (!e[0].startsWith('npm_') || ['npm_config_cache', 'npm_config_userconfig'].includes(e[0])),
  ),
);
env.PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => {
      out.stdout += d;
    });
    child.stderr.on('data', (d) => {
      out.stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} ran over ${timeoutMs} ms:\n${out.stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...out });
    });
  });
}

/** `npx --offline …` in the consumer project. */
const npx = (args: string[], timeoutMs?: number) => run('npx', ['--offline', ...args], consumer, timeoutMs);

/** `npx dockerhub emulator …` until `ready` matches its stderr; stopped (its whole process group) by `stop`. */
async function emulator(args: string[], ready: RegExp) {
  const child: ChildProcess = spawn('npx', ['--offline', 'dockerhub', 'emulator', ...args], {
    cwd: consumer,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.once('close', r));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the emulator did not start in 60 s:\n${stderr}`)),
      60_000,
    );
    child.stderr?.on('data', (d) => {
      stderr += d;
      const m = ready.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code}:\n${stderr}`));
    });
  });
  return {
    match,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      return exited;
    },
  };
}

/** This checkout's lockfile without its dev-only entries, plus the tarball: the consumer's exact tree. */
function consumerLock(tarball: string, integrity: string) {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>;
  };
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [pkg.name]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${tarball}`,
      integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.link)
      packages[path] = entry;
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is missing: run `npm run build`').toBe(true);
  work = await mkdtemp(join(tmpdir(), 'dh-tarball-'));
  const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (!info) throw new Error(`npm pack printed no file: ${pack.stdout}`);
  packed = info.files.map((f) => f.path);
  consumer = realpathSync(await mkdtemp(join(work, 'consumer-')));
  const tarball = `../${info.filename}`;
  const integrity = `sha512-${createHash('sha512')
    .update(await readFile(join(work, info.filename)))
    .digest('base64')}`;
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { [pkg.name]: `file:${tarball}` },
    }),
  );
  await writeFile(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball, integrity)));
  const install = await run(
    'npm',
    ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
    consumer,
  );
  expect(install.code, `npm ci --offline failed:\n${install.stderr}`).toBe(0);
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('ships every bin, every export target and the specs the emulator reads, and no sources or tests', () => {
    const targets = [
      ...Object.values(pkg.bin),
      ...Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t))),
    ].map((t) => t.replace(/^\.\//, ''));
    expect(targets.filter((t) => !packed.includes(t))).toEqual([]);
    for (const spec of [
      'specs/hub-api.json',
      'specs/scout-schema.graphql',
      'specs/README.md',
      'specs/LICENSE',
    ])
      expect(packed).toContain(spec);
    expect(packed.filter((p) => /^(src|tests|scripts|bench|\.ci)\//.test(p))).toEqual([]);
  });

  it('installs offline, and its engines range holds for every dependency it brings', () => {
    const installed = join(consumer, 'node_modules', pkg.name);
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version).toBe(pkg.version);
    const tooNarrow: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name.startsWith('.')) continue;
        const path = join(dir, name);
        if (name.startsWith('@')) {
          walk(path);
          continue;
        }
        const manifest = join(path, 'package.json');
        if (!existsSync(manifest)) continue;
        const { name: dep, engines } = JSON.parse(readFileSync(manifest, 'utf8'));
        if (engines?.node && !semver.subset(pkg.engines.node, engines.node))
          tooNarrow.push(`${dep} needs node ${engines.node}`);
        if (existsSync(join(path, 'node_modules'))) walk(join(path, 'node_modules'));
      }
    };
    walk(join(consumer, 'node_modules'));
    expect(tooNarrow, `engines.node ${pkg.engines.node} promises more than its dependencies`).toEqual([]);
  });
});

describe('the installed commands', () => {
  it.each(Object.keys(pkg.bin))('npx %s --version prints the package version', async (bin) => {
    const res = await npx([bin, '--version'], 30_000);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it('npx dockerhub demo runs the offline tour end to end', async () => {
    const res = await npx(['dockerhub', 'demo'], 90_000);
    expect(res.code, res.stderr).toBe(0);
    expect(
      res.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    ).toEqual(DEMO_STEPS);
    expect(res.stdout).toMatch(/^hub-tags +Hub API lists v1 /m);
  });

  it('the installed emulator validates against the spec it ships: a request that breaks it gets a 400 naming the violation', async () => {
    const emu = await emulator(
      ['--registry', 'none'],
      /Docker Hub emulator on (http:\/\/127\.0\.0\.1:\d+) \((\d+) spec operations validated\)/,
    );
    try {
      const [, url, operations] = emu.match;
      expect(Number(operations)).toBe(54);
      const res = await fetch(`${url}/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: 'x' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toBe(
        "request does not match the Docker Hub API spec (AuthCreateAccessToken): requestBody must have required property 'identifier'",
      );
      // Scout's GraphQL schema ships too: an unknown field is refused by validation.
      const gql = await fetch(`${url}/v1/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ noSuchField }' }),
      });
      expect(gql.status).toBe(400);
      expect(await gql.text()).toMatch(/Cannot query field \\"noSuchField\\" on type \\"Query\\"/);
    } finally {
      await emu.stop();
    }
  });

  it('without its spec it does not start (one line naming the path); with --no-validate it starts and says so', async () => {
    const spec = join(consumer, 'node_modules', pkg.name, 'specs', 'hub-api.json');
    renameSync(spec, `${spec}.away`);
    try {
      const res = await npx(['dockerhub', 'emulator', '--registry', 'none'], 30_000);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `dockerhub: Docker Hub API spec not found: ${spec} (set DOCKERHUB_HUB_SPEC to a copy of the spec, or turn validation off with --no-validate)\n`,
      );
      const unchecked = await emulator(
        ['--registry', 'none', '--no-validate'],
        /Docker Hub emulator on http:\S+ \(requests not validated: --no-validate\)/,
      );
      expect(unchecked.stderr()).toMatch(/^dockerhub emulator: request validation is off/);
      await unchecked.stop();
    } finally {
      renameSync(`${spec}.away`, spec);
    }
  });
});

describe('an ESM consumer of every subpath export', () => {
  it('type-checks against the shipped .d.ts with tsc, and runs', async () => {
    const subpaths = Object.keys(pkg.exports);
    expect(
      subpaths.filter((s) => s.includes('*')),
      'wildcard exports: teach this test to import them',
    ).toEqual([]);
    const specifier = (s: string) => (s === '.' ? pkg.name : `${pkg.name}/${s.slice(2)}`);
    const modules = subpaths.filter((s) => !s.endsWith('.json'));
    const json = subpaths.filter((s) => s.endsWith('.json'));
    const source = [
      ...modules.map((s, i) => `import * as m${i} from '${specifier(s)}';`),
      ...json.map((s, i) => `import j${i} from '${specifier(s)}' with { type: 'json' };`),
      // One real use across two subpaths: the SDK's emulator, found from the installed package, and a client.
      `import { startEmulator } from '${pkg.name}/emulator';`,
      `import { HubClient } from '${pkg.name}/hub';`,
      '',
      `const modules: Record<string, Record<string, unknown>> = { ${modules.map((s, i) => `'${specifier(s)}': m${i}`).join(', ')} };`,
      `const json: Record<string, unknown> = { ${json.map((s, i) => `'${specifier(s)}': j${i}`).join(', ')} };`,
      "const emu = await startEmulator({ seed: { users: [{ username: 'ann', password: 'pw' }] } });",
      'const credentials = { username: "ann", password: "pw", env: {}, useDockerConfig: false };',
      'const hub = new HubClient({ baseUrl: emu.url, credentials });',
      "const me: string = (await hub.users.whoami()).username ?? '(nobody)';",
      'await hub.close();',
      'await emu.stop();',
      'console.log(JSON.stringify({',
      '  exports: Object.fromEntries(Object.entries(modules).map(([k, m]) => [k, Object.keys(m)])),',
      '  json: Object.keys(json),',
      '  me,',
      '  spec: emu.spec?.path,',
      '}));',
      '',
    ].join('\n');
    const dir = join(consumer, 'app');
    await mkdir(dir);
    await writeFile(join(dir, 'consumer.ts'), source);
    // The README's SDK example too (compiled, not run: it talks to Docker Hub).
    const readme = readFileSync(join(ROOT, 'tests', 'readme-example.check.ts'), 'utf8');
    await writeFile(join(dir, 'readme-example.ts'), readme.replace("'../src/index.js'", `'${pkg.name}'`));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          // Check the shipped declarations too, and what they import from the dependencies.
          skipLibCheck: false,
          outDir: 'out',
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['consumer.ts', 'readme-example.ts'],
      }),
    );
    const tsc = await run(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir],
      dir,
    );
    expect(tsc.code, `tsc against the shipped .d.ts:\n${tsc.stdout}${tsc.stderr}`).toBe(0);

    const res = await run(process.execPath, [join(dir, 'out', 'consumer.js')], dir, 60_000);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as {
      exports: Record<string, string[]>;
      json: string[];
      me: string;
      spec: string;
    };
    expect(Object.keys(out.exports).sort()).toEqual(modules.map(specifier).sort());
    const empty = Object.entries(out.exports).filter(([, names]) => names.length === 0);
    expect(empty, 'subpath exports that export nothing').toEqual([]);
    expect(out.exports[pkg.name]).toContain('HubClient');
    expect(out.json).toEqual(json.map(specifier));
    expect(out.me).toBe('ann');
    expect(out.spec).toBe(join(consumer, 'node_modules', pkg.name, 'specs', 'hub-api.json'));
    // tsc over every shipped .d.ts and their dependencies' (the MCP SDK's are large) takes a while.
  }, 180_000);
});
