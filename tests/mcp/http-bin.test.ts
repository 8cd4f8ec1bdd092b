/**
 * The built executable (`npm run build` makes dist/bin/dockerhub-mcp.js; `npm test` builds first) with
 * `--transport http --port 0`: it says where it listens on stderr, serves real SDK clients on both eras
 * against its own emulator, keeps stdout empty, and stops on SIGTERM with exit code 0. A start-up
 * problem (no authentication, a bad port, a port taken) is one line on stderr and a non-zero exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = resolve(ROOT, 'dist/bin/dockerhub-mcp.js');
// The package is developed on Node 24 (the node@24 devDependency); run the executable on it.
const NODE = existsSync(resolve(ROOT, 'node_modules/.bin/node'))
  ? resolve(ROOT, 'node_modules/.bin/node')
  : process.execPath;
const TOKEN = 'bin-test-token-0123456789abcdef';

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

const running: Run[] = [];

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(NODE, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((done) => child.once('exit', (code) => done(code))),
  };
  child.stdout!.on('data', (c: Buffer) => {
    r.stdout += String(c);
  });
  child.stderr!.on('data', (c: Buffer) => {
    r.stderr += String(c);
  });
  running.push(r);
  return r;
}

async function listeningUrl(r: Run): Promise<string> {
  for (;;) {
    const m = /listening on (http:\/\/\S+)/.exec(r.stderr);
    if (m) return m[1]!;
    const exited = await Promise.race([
      r.exited.then(() => true),
      new Promise((d) => setTimeout(d, 50, false)),
    ]);
    if (exited) throw new Error(`the server exited: ${r.stderr}`);
  }
}

afterEach(async () => {
  for (const r of running.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await r.exited;
  }
});

describe('dockerhub-mcp --transport http (built)', () => {
  it('serves SDK clients on both eras against its emulator, stdout stays empty, SIGTERM stops it cleanly', async () => {
    const r = run(['--transport', 'http', '--port', '0', '--emulator'], { MCP_AUTH_TOKEN: TOKEN });
    const url = await listeningUrl(r);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(r.stderr).toContain('serving the local Docker Hub emulator');
    for (const negotiation of ['legacy', 'modern'] as const) {
      const client = new Client(
        { name: 'bin-test', version: '1' },
        negotiation === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        }),
      );
      expect(client.getProtocolEra()).toBe(negotiation);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('hub_repos');
      const res = await client.callTool({
        name: 'hub_repos',
        arguments: { action: 'list', namespace: 'acme' },
      });
      const names = ((res.structuredContent as { data: Array<{ name: string }> }).data ?? []).map(
        (x) => x.name,
      );
      expect(names).toEqual(expect.arrayContaining(['web', 'api']));
      await client.close();
    }
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('warns on stderr when it serves without authentication', async () => {
    const r = run(['--transport', 'http', '--port', '0', '--allow-unauthenticated', '--tools', 'repos']);
    const url = await listeningUrl(r);
    expect(r.stderr).toContain(`warning: --allow-unauthenticated: anyone who can reach ${url}`);
    expect(r.stderr).toContain('(streamable HTTP; auth: NONE)');
    r.child.kill('SIGINT');
    expect(await r.exited).toBe(0);
  });
});

describe('dockerhub-mcp --transport http start-up errors', () => {
  it.each([
    [[], {}, /^dockerhub-mcp: the HTTP transport needs authentication: set MCP_AUTH_TOKEN/],
    [
      ['--port', '70000'],
      { MCP_AUTH_TOKEN: TOKEN },
      /^dockerhub-mcp: --port must be from 0 to 65535, not 70000$/,
    ],
    [['--port', 'http'], { MCP_AUTH_TOKEN: TOKEN }, /^dockerhub-mcp: --port must be an integer, not "http"$/],
    [[], { MCP_AUTH_TOKEN: 'short' }, /^dockerhub-mcp: MCP_AUTH_TOKEN must be at least 16 characters$/],
    [
      ['--host', '0.0.0.0'],
      { MCP_AUTH_TOKEN: TOKEN },
      /^dockerhub-mcp: --host 0\.0\.0\.0 listens on every interface/,
    ],
  ])('%j %j: exit 2 with one line', async (args, env, message) => {
    const r = run(['--transport', 'http', ...args], env as Record<string, string>);
    expect(await r.exited).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a port already in use: exit 1 with one line', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = run(['--transport', 'http', '--port', String(port)], { MCP_AUTH_TOKEN: TOKEN });
      expect(await r.exited).toBe(1);
      expect(r.stderr).toBe(
        `dockerhub-mcp: cannot listen on 127.0.0.1:${port}: the port is already in use (choose another with --port, or 0 for any free port)\n`,
      );
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });
});
