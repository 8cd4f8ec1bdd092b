/**
 * `dockerhub webhooks listen` as a user runs it: events as JSON lines on stdout, rejections on stderr,
 * `--exec` handlers fed the event JSON on stdin (no shell, bounded time and concurrency), clear one-line
 * errors for bad flags, graceful SIGTERM, and the shared secret never in anything it prints or passes on.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { DELIVERY_HEADER, deliverWebhook, SIGNATURE_HEADER } from '../../src/webhooks/index.js';
import { post, pushOf, SENTINEL } from '../webhooks/fixtures.js';

let work: string;
/** Everything any run printed, and every file a handler wrote: searched for the secret at the end. */
const captured: string[] = [];

beforeAll(async () => {
  // A space in the path: --exec must not split it when quoted.
  work = join(await mkdtemp(join(tmpdir(), 'dh-hooks-cli-')), 'with space');
  await mkdir(work);
});
afterAll(async () => {
  for (const text of captured) expect(text).not.toContain(SENTINEL);
  await rm(join(work, '..'), { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const saved = process.env;
  process.env = { ...saved, ...env };
  try {
    const code = await runCli(['webhooks', ...args], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      isTTY: false,
    });
    captured.push(stdout, stderr);
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

/** Runs `webhooks listen` until `act` is done, then stops it with SIGTERM as a service manager would. */
async function listen(
  args: string[],
  env: Record<string, string>,
  act: (url: string) => Promise<void>,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let onUrl: (url: string) => void = () => undefined;
  const listening = new Promise<string>((r) => {
    onUrl = r;
  });
  const before = new Set(process.listeners('SIGTERM'));
  const saved = process.env;
  process.env = { ...saved, ...env };
  const done = runCli(['webhooks', 'listen', ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
    onListening: onUrl,
  });
  let code: number;
  try {
    const url = await Promise.race([
      listening,
      done.then((c) => Promise.reject(new Error(`exited ${c}: ${stderr}`))),
    ]);
    try {
      await act(url);
    } finally {
      // Deliver SIGTERM to the command's own handler (without signalling the test process itself).
      for (const l of process.listeners('SIGTERM')) if (!before.has(l)) (l as () => void)();
    }
    code = await done;
  } finally {
    process.env = saved;
  }
  captured.push(stdout, stderr);
  return { code, stdout, stderr };
}

/** A node script usable as --exec: appends its stdin and its view of the environment to `out`. */
async function handlerScript(name: string, body: string): Promise<string> {
  const path = join(work, name);
  await writeFile(path, body);
  return path;
}

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const node = JSON.stringify(process.execPath);

describe('dockerhub webhooks listen', () => {
  it('prints each event as a JSON line, rejections on stderr, and stops cleanly on SIGTERM', async () => {
    const res = await listen([], { DOCKERHUB_WEBHOOK_SECRET: SENTINEL }, async (url) => {
      await deliverWebhook(url, pushOf('v1'), { secret: SENTINEL, deliveryId: 'd-1' });
      await deliverWebhook(url, pushOf('v2'), { secret: SENTINEL });
      expect(
        (await post(url, JSON.stringify(pushOf('v3')), { [SIGNATURE_HEADER]: 'sha256=00' })).status,
      ).toBe(401);
      expect((await post(url, '{"push_data":', { [DELIVERY_HEADER]: 'd-bad' })).status).toBe(401);
    });
    expect(res.code).toBe(0);
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      {
        kind: 'push',
        repository: 'acme/app',
        tag: 'v1',
        pusher: 'ci-bot',
        deliveryId: 'd-1',
        at: '2023-11-14T22:13:20.000Z',
      },
      { kind: 'push', tag: 'v2' },
    ]);
    expect(lines[0].payload.push_data).toEqual({ pushed_at: 1_700_000_000, pusher: 'ci-bot', tag: 'v1' });
    expect(res.stderr).toMatch(
      /^listening on http:\/\/127\.0\.0\.1:\d+\/ \(X-Hub-Signature-256 required\); Ctrl-C stops\n/,
    );
    expect(res.stderr).toContain(
      '{"rejected":{"status":401,"reason":"missing or invalid x-hub-signature-256 signature"}}\n',
    );
    expect(res.stderr).toContain('"deliveryId":"d-bad"');
    expect(res.stderr).toMatch(/stopped after 2 event\(s\)\n$/);
    expect(res.stdout + res.stderr).not.toContain(SENTINEL);
  });

  it('rejects malformed deliveries with 400 naming the field, and replays with 409', async () => {
    const res = await listen(['--max-body', '2048'], {}, async (url) => {
      const bad = await post(url, JSON.stringify({ push_data: { pushed_at: 1, pusher: 'p', tag: 't' } }));
      expect(bad).toMatchObject({
        status: 400,
        body: { error: 'invalid webhook payload: missing field repository' },
      });
      expect((await post(url, JSON.stringify(pushOf('once')))).status).toBe(200);
      expect((await post(url, JSON.stringify(pushOf('once')))).status).toBe(409);
      expect((await post(url, JSON.stringify({ ...pushOf('big'), pad: 'x'.repeat(4096) }))).status).toBe(413);
    });
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('"status":400,"reason":"invalid webhook payload: missing field repository"');
    expect(res.stderr).toContain('"status":409');
    expect(res.stderr).toContain('"status":413');
  });

  it('in --secret-path mode, takes deliveries at /hooks/<secret> and never prints the secret', async () => {
    const res = await listen(
      ['--secret-path', '--secret-env', 'MY_HOOK_SECRET'],
      { MY_HOOK_SECRET: SENTINEL },
      async (url) => {
        expect((await post(`${url}hooks/${SENTINEL}`, JSON.stringify(pushOf('p')))).status).toBe(200);
        expect((await post(`${url}hooks/wrong`, JSON.stringify(pushOf('q')))).status).toBe(401);
      },
    );
    expect(res.stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/hooks\/<secret from MY_HOOK_SECRET>/);
    expect(JSON.parse(res.stdout)).toMatchObject({ tag: 'p' });
    expect(res.stdout + res.stderr).not.toContain(SENTINEL);
  });

  it('--exec runs the command per event with the JSON on stdin, without a shell or the secret', async () => {
    const out = join(work, 'events.jsonl');
    const script = await handlerScript(
      'handler.mjs',
      `import { appendFileSync } from 'node:fs';
let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => {
  appendFileSync(process.argv[2], JSON.stringify({ stdin: s, arg: process.argv[3], env: process.env }) + '\\n');
  console.log('handled ' + JSON.parse(s).tag);
});\n`,
    );
    // Quoted words keep their spaces; '$HOME;' stays literal because there is no shell.
    const exec = `${node} "${script}" "${out}" '$HOME; echo pwned'`;
    const res = await listen(['--exec', exec], { DOCKERHUB_WEBHOOK_SECRET: SENTINEL }, async (url) => {
      await deliverWebhook(url, pushOf('e1'), { secret: SENTINEL });
      await waitFor(async () => ((await readFile(out, 'utf8').catch(() => '')) ? true : undefined));
    });
    const text = await readFile(out, 'utf8');
    captured.push(text);
    const run = JSON.parse(text.trim());
    expect(JSON.parse(run.stdin)).toMatchObject({
      kind: 'push',
      repository: 'acme/app',
      tag: 'e1',
      pusher: 'ci-bot',
    });
    expect(run.arg).toBe('$HOME; echo pwned');
    expect(run.env.DOCKERHUB_WEBHOOK_SECRET).toBeUndefined();
    expect(res.stdout).toBe('handled e1\n'); // the handler's output, not the event line
    expect(text).not.toContain(SENTINEL);
  });

  it('--exec runs at most --exec-concurrency handlers at once, and shutdown waits for them', async () => {
    const log = join(work, 'concurrency.log');
    const script = await handlerScript(
      'slow.mjs',
      `import { appendFileSync } from 'node:fs';
let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => {
  const tag = JSON.parse(s).tag;
  appendFileSync(process.argv[2], 'start ' + tag + '\\n');
  setTimeout(() => appendFileSync(process.argv[2], 'end ' + tag + '\\n'), 150);
});\n`,
    );
    await listen(['--exec', `${node} "${script}" "${log}"`, '--exec-concurrency', '1'], {}, async (url) => {
      for (const tag of ['a', 'b', 'c']) expect((await deliverWebhook(url, pushOf(tag))).status).toBe(200);
      // Stop at once: the listener must still let all three finish before it exits.
    });
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('reports a failing or hung handler on stderr and keeps listening', async () => {
    const fail = await handlerScript(
      'fail.mjs',
      'process.stdin.resume(); process.stdin.on("end", () => process.exit(3));\n',
    );
    const hang = await handlerScript(
      'hang.mjs',
      'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000);\n',
    );
    const res1 = await listen(['--exec', `${node} "${fail}"`], {}, async (url) => {
      await deliverWebhook(url, pushOf('f'));
    });
    expect(res1.stderr).toContain(
      `dockerhub: --exec failed for push acme/app:f: ${process.execPath} exited with code 3\n`,
    );
    const res2 = await listen(['--exec', `${node} "${hang}"`, '--exec-timeout', '1'], {}, async (url) => {
      await deliverWebhook(url, pushOf('h'));
    });
    expect(res2.stderr).toContain(
      `dockerhub: --exec failed for push acme/app:h: ${process.execPath} timed out after 1s\n`,
    );
    const res3 = await listen(['--exec', 'no-such-command-dh-test'], {}, async (url) => {
      await deliverWebhook(url, pushOf('n'));
    });
    expect(res3.stderr).toContain(
      'dockerhub: --exec failed for push acme/app:n: cannot run no-such-command-dh-test: command not found\n',
    );
    expect(res3.code).toBe(0);
  }, 15_000);

  it('refuses bad flags and unsafe secrets with one clear line (exit 2)', async () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['listen', '--port', 'abc'], {}, 'dockerhub: --port must be an integer from 0 to 65535, got "abc"\n'],
      [
        ['listen', '--port', '70000'],
        {},
        'dockerhub: --port must be an integer from 0 to 65535, got "70000"\n',
      ],
      [
        ['listen', '--secret-path'],
        {},
        'dockerhub: --secret-path needs a secret in DOCKERHUB_WEBHOOK_SECRET\n',
      ],
      [['listen', '--secret-env', 'NOPE_NOT_SET'], {}, 'dockerhub: --secret-env: NOPE_NOT_SET is not set\n'],
      [
        ['listen'],
        { DOCKERHUB_WEBHOOK_SECRET: 'tooshort' },
        'dockerhub: DOCKERHUB_WEBHOOK_SECRET must be at least 16 characters long\n',
      ],
      [['listen', '--exec', '"unclosed'], {}, 'dockerhub: --exec: unterminated " quote\n'],
      [['listen', '--exec', '  '], {}, 'dockerhub: --exec needs a command\n'],
      [
        ['listen', '--exec-timeout', '0'],
        {},
        'dockerhub: --exec-timeout must be an integer from 1 to 3600, got "0"\n',
      ],
    ];
    for (const [args, env, message] of cases) {
      const res = await cli(args, { DOCKERHUB_WEBHOOK_SECRET: '', ...env });
      expect({ args, code: res.code, stderr: res.stderr }).toEqual({ args, code: 2, stderr: message });
    }
  });

  it('reports a port already in use in one line (exit 1)', async () => {
    await listen([], {}, async (url) => {
      const res = await cli(['listen', '--port', new URL(url).port]);
      expect(res).toEqual({
        code: 1,
        stdout: '',
        stderr: `dockerhub: cannot listen on 127.0.0.1:${new URL(url).port}: the address is already in use\n`,
      });
    });
  });

  it('binds the address given with --host', async () => {
    // Another loopback address: tests never expose a port beyond this machine.
    const res = await listen(['--host', '127.0.0.2'], {}, async (url) => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
      expect((await post(url, JSON.stringify(pushOf('h')))).status).toBe(200);
    });
    expect(res.stderr).toMatch(/^listening on http:\/\/127\.0\.0\.2:\d+\/; Ctrl-C stops\n/);
    expect(res.stderr).not.toContain('warning');
  });

  it('documents the flags and that Docker Hub signs nothing', async () => {
    const res = await cli(['listen', '--help']);
    expect(res.stdout).toContain('--exec <command>');
    expect(res.stdout).toContain('Docker Hub itself signs nothing');
  });
});
