/** `dockerhub emulator` and `dockerhub demo` as a user runs them (in-process; Ctrl-C is an abort signal). */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEmulator, parseFault } from '../../src/cli/commands/emulator.js';
import { runCli } from '../../src/cli/run.js';
import { ValidationError } from '../../src/core/errors.js';
import { HubClient } from '../../src/hub/index.js';
import { cli, DEMO_STEPS, runBuiltCli } from '../helpers/cli.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
let work: string;
let seedFile: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-cli-emulator-'));
  seedFile = join(work, 'seed.json');
  await writeFile(seedFile, JSON.stringify({ users: [{ username: 'alice', password: SENTINEL }] }));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Served {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `dockerhub emulator …`, calls `act` once it listens, then presses Ctrl-C. */
async function serve(
  args: string[],
  act: (url: string, stderr: () => string) => Promise<void>,
): Promise<Served> {
  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((r) => {
    listening = r;
  });
  const done = runCli(['emulator', ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    signal: stop.signal,
    onListening: listening,
  });
  try {
    await act(
      await Promise.race([url, done.then((c) => Promise.reject(new Error(`exited ${c}: ${stderr}`)))]),
      () => stderr,
    );
  } finally {
    stop.abort();
  }
  return { code: await done, stdout, stderr };
}

async function refused(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    () => true,
  );
}

describe('dockerhub emulator', () => {
  it('starts the Hub and a distribution registry, prints how to use them, and stops both on Ctrl-C', async () => {
    const persist = join(work, 'state.json');
    let registryUrl = '';
    let hubUrl = '';
    const res = await serve(
      [
        '--seed',
        seedFile,
        '--persist',
        persist,
        '--registry',
        'distribution',
        '--fault',
        'GET /v2/user=503:1',
      ],
      async (url, stderr) => {
        hubUrl = url;
        const hub = new HubClient({
          baseUrl: url,
          credentials: { username: 'alice', password: SENTINEL, env: {}, useDockerConfig: false },
          retry: false,
        });
        await hub.repositories.create({ namespace: 'alice', name: 'kept' });
        await expect(hub.users.me()).rejects.toThrow(/503/);
        await hub.close();
        registryUrl = `http://${/registry \(distribution\) on (\S+),/.exec(stderr())?.[1]}`;
        expect((await fetch(`${registryUrl}/v2/`)).status).toBe(401);
      },
    );
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(`Docker Hub emulator on ${hubUrl} (`);
    expect(res.stderr).toContain(`registry token service: ${hubUrl}/token (service registry.docker.io)`);
    expect(res.stderr).toContain(`  export DOCKERHUB_API_URL=${hubUrl}\n`);
    expect(res.stderr).toMatch(
      /dockerhub tags 127\.0\.0\.1:\d+\/<namespace>\/<repository> {3}\(loopback: plain HTTP/,
    );
    expect(res.stderr).toContain(`state saved to ${persist} after every change`);
    expect(res.stderr).toMatch(/emulator stopped\n$/);
    expect(res.stdout).toBe('');
    expect(res.stderr).not.toContain(SENTINEL);
    // Both are gone, and the state file holds the repository created above.
    expect(await refused(hubUrl)).toBe(true);
    expect(await refused(`${registryUrl}/v2/`)).toBe(true);
    const saved = JSON.parse(await readFile(persist, 'utf8'));
    expect(saved.state.repositories.$map.map(([k]: [string]) => k)).toEqual(['alice/kept']);
  });

  it('--registry none runs the Hub alone; --registry-url names your registry and where to send its events', async () => {
    const alone = await serve(['--registry', 'none', '--latency', '1'], async () => undefined);
    expect(alone.code).toBe(0);
    expect(alone.stderr).toMatch(/^no registry \(--registry none\)$/m);
    expect(alone.stderr).not.toContain('dockerhub tags');

    const yours = await serve(['--registry-url', 'http://127.0.0.1:5999'], async () => undefined);
    expect(yours.code).toBe(0);
    expect(yours.stderr).toContain('registry: http://127.0.0.1:5999 (yours); to sync its pushes');
    expect(yours.stderr).toMatch(
      /url http:\/\/127\.0\.0\.1:\d+\/_emulator\/registry-events, header x-emulator-events-secret: [0-9a-f]{48}/,
    );
  });

  it("validates against the package's spec copy, says how many operations, and refuses what breaks it", async () => {
    const res = await serve(['--registry', 'none'], async (url) => {
      const answer = await fetch(`${url}/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"secret":"x"}',
      });
      expect(answer.status).toBe(400);
      expect(await answer.text()).toMatch(/does not match the Docker Hub API spec .*'identifier'/);
    });
    expect(res.stderr).toMatch(
      /^Docker Hub emulator on http:\/\/127\.0\.0\.1:\d+ \(54 spec operations validated\)$/m,
    );
    expect(res.stderr).not.toMatch(/validation is off/);
  });

  it('--no-validate serves requests unchecked and says so on stderr', async () => {
    const res = await serve(['--registry', 'none', '--no-validate'], async (url) => {
      const answer = await fetch(`${url}/v2/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"secret":"x"}',
      });
      expect(await answer.text()).not.toMatch(/does not match the Docker Hub API spec/);
    });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^dockerhub emulator: request validation is off: requests are not checked/);
    expect(res.stderr).toMatch(/\(requests not validated: --no-validate\)$/m);
  });

  it('does not start without its spec: one line naming the path, exit 1 (the bundled executable)', async () => {
    const missing = join(work, 'no-such-spec.json');
    const res = await runBuiltCli(['emulator', '--registry', 'none'], {
      PATH: process.env.PATH ?? '',
      DOCKERHUB_HUB_SPEC: missing,
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      `dockerhub: Docker Hub API spec not found: ${missing} (set DOCKERHUB_HUB_SPEC to a copy of the spec, or turn validation off with --no-validate)\n`,
    );
    const schema = await runBuiltCli(['emulator', '--registry', 'none', '--no-validate'], {
      PATH: process.env.PATH ?? '',
      DOCKERHUB_SCOUT_SCHEMA: missing,
    });
    expect(schema.code).toBe(1);
    expect(schema.stderr).toMatch(
      new RegExp(
        `^dockerhub emulator: request validation is off[^\n]*\ndockerhub: Docker Scout GraphQL schema not found: ${missing} `,
      ),
    );
  });

  it('--demo seeds acme, pushes the demo images and signs in with the password given in the environment', async () => {
    process.env.DOCKERHUB_DEMO_PASSWORD = SENTINEL;
    try {
      const res = await serve(['--demo', '--registry', 'builtin'], async (url) => {
        const hub = new HubClient({
          baseUrl: url,
          credentials: { username: 'demo', password: SENTINEL, env: {}, useDockerConfig: false },
        });
        try {
          const repos = await hub.repositories.list({ namespace: 'acme' }).toArray();
          expect(repos.map((r) => r.name)).toEqual(expect.arrayContaining(['web', 'api', 'hello']));
          await expect.poll(() => hub.tags.exists('acme', 'hello', 'latest'), { timeout: 10_000 }).toBe(true);
        } finally {
          await hub.close();
        }
      });
      expect(res.code).toBe(0);
      expect(res.stderr).toMatch(
        /demo data: organization acme, user demo \(password \(DOCKERHUB_DEMO_PASSWORD\)\)/,
      );
      expect(res.stderr).toMatch(/images 127\.0\.0\.1:\d+\/acme\/hello:v1, 127\.0\.0\.1:\d+\/acme\/hello:v2/);
      expect(res.stderr).not.toContain(SENTINEL);
    } finally {
      delete process.env.DOCKERHUB_DEMO_PASSWORD;
    }
    const both = await cli(['emulator', '--demo', '--seed', seedFile]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--demo brings its own data/);
  });

  it('refuses bad flags with one line and exit 2', async () => {
    const port = await cli(['emulator', '--port', 'abc']);
    expect(port).toMatchObject({ code: 2, stderr: 'dockerhub: --port must be 0-65535, got "abc"\n' });
    const fault = await cli(['emulator', '--fault', 'GET /=abc']);
    expect(fault.code).toBe(2);
    expect(fault.stderr).toMatch(/--fault "GET \/=abc": STATUS must be 100-599/);
    const latency = await cli(['emulator', '--latency', '-5']);
    expect(latency.code).toBe(2);
    const both = await cli(['emulator', '--registry', 'auto', '--registry-url', 'http://127.0.0.1:1']);
    expect(both.stderr).toMatch(/either --registry-url .* or --registry/);
    const mode = await cli(['emulator', '--registry', 'docker']);
    expect(mode.code).not.toBe(0);
    expect(mode.stderr).toMatch(/Allowed choices are auto, distribution, builtin, none/);
    const seed = await cli(['emulator', '--seed', join(work, 'missing.json')]);
    expect(seed).toMatchObject({ code: 2 });
    expect(seed.stderr).toMatch(/cannot read emulator seed/);
  });
});

describe('fault rules', () => {
  it('parse MATCH=STATUS[:TIMES[:RETRY_AFTER]]', () => {
    expect(parseFault('POST /v2/auth/token=429:5')).toEqual({
      match: 'POST /v2/auth/token',
      status: 429,
      times: 5,
    });
    expect(parseFault('500')).toEqual({ status: 500, times: 1 });
    expect(parseFault('GET /v2/(user|orgs)=429:2:7')).toEqual({
      match: 'GET /v2/(user|orgs)',
      status: 429,
      times: 2,
      retryAfter: 7,
    });
    expect(() => parseFault('GET (=500')).toThrow(/not a valid regular expression/);
    expect(() => parseFault('500:1:1:1')).toThrow(ValidationError);
    expect(() => parseFault('500:0')).toThrow(/TIMES must be/);
  });

  it('the startup text without validation or registry stays accurate', () => {
    const text = describeEmulator({
      url: 'http://127.0.0.1:1',
      spec: undefined,
      registryAuth: { realm: 'http://127.0.0.1:1/token', service: 's', issuer: 'i', rootCertBundle: '' },
      registry: undefined,
    } as unknown as Parameters<typeof describeEmulator>[0]);
    expect(text).toMatch(/requests not validated: --no-validate/);
  });
});

describe('dockerhub demo', () => {
  it('tours the emulator and a distribution registry offline, one line per step, exit 0', async () => {
    const res = await cli(['demo', '--registry', 'distribution']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(DEMO_STEPS);
    expect(lines[0]).toMatch(
      /^start\s+Docker Hub emulator on http:\/\/127\.0\.0\.1:\d+, distribution registry on 127\.0\.0\.1:\d+$/,
    );
    expect(lines[1]).toMatch(/logged in as demo/);
    expect(lines[5]).toMatch(
      /Hub API lists v1 → sha256:[0-9a-f]{12}… pushed by demo \(registry event, \d+ ms after the push\)/,
    );
    expect(lines[6]).toMatch(/registry lists tags: v1$/);
    expect(lines[7]).toMatch(
      /application\/vnd\.oci\.image\.manifest\.v1\+json, linux\/amd64, 1 layer\(s\), \d+ bytes/,
    );
    expect(lines[8]).toMatch(/Hub API dropped v1/);
  }, 60_000);

  it('runs against the built-in registry too', async () => {
    const res = await cli(['demo', '--registry', 'builtin']);
    expect(res.code).toBe(0);
    expect(
      res.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(DEMO_STEPS);
  }, 60_000);

  it('runs on a machine without docker-registry, on the built-in registry', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const res = await cli(['demo']);
      // A fresh machine without docker-registry: the built-in registry stands in.
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/built-in registry/);
    } finally {
      process.env.PATH = path;
    }
  }, 60_000);
});
