/**
 * The deployment files, checked without a Docker engine (none runs on this machine): the Dockerfile's
 * runtime image carries what its programs need, and its default command fails closed; compose.yaml's three
 * services, started as compose would start them — each service's command, its environment over the
 * image's, interpolation from `.env` — with the service names and container ports mapped to loopback,
 * are wired to each other: a question to the agent is answered through the MCP server against the
 * emulator's demo data, and the MCP server reads the emulator's registry and Scout under their compose
 * names. What needs Docker itself (building the image, the network's DNS, read-only root file systems,
 * the Ollama service) is listed in docs/deployment.md as not run here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FakeModel, startFakeModel, toolResults } from '../helpers/fake-llm.js';
import { freePort } from '../helpers/free-port.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  image?: string;
}
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};

/** The runtime stage of the Dockerfile: its ENV, its CMD, its HEALTHCHECK command. */
function runtimeStage() {
  const stage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const joined = stage.replace(/\\\n\s*/g, ' ');
  const env: Record<string, string> = {};
  for (const line of joined.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const m of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
  }
  const cmdLine = joined.split('\n').find((l) => l.startsWith('CMD '));
  const health = joined.split('\n').find((l) => l.startsWith('HEALTHCHECK '));
  return {
    text: stage,
    env,
    cmd: JSON.parse(cmdLine!.slice(4)) as string[],
    healthcheck: JSON.parse(health!.slice(health!.indexOf('['))) as string[],
  };
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?message}. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const value = env[name];
    if (value) return value;
    if (op === '?') throw new Error(`compose would refuse to start: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

describe('the Dockerfile', () => {
  const stage = runtimeStage();

  it('ships the three programs, what they read at run time, and runs as a non-root user', () => {
    for (const [name, target] of Object.entries(pkg.bin)) {
      expect(stage.text).toContain(`ln -s /app/${target.replace(/^\.\//, '')} /usr/local/bin/${name}`);
    }
    for (const from of ['package.json', 'node_modules', 'dist', 'specs', 'web', 'LICENSE']) {
      expect(stage.text).toMatch(new RegExp(`COPY --from=build /src/${from} `));
      // What the build stage copies exists once the package is built (npm run build ran in pretest).
      expect(existsSync(join(ROOT, from)), from).toBe(true);
    }
    expect(stage.text).toMatch(/^USER node$/m);
    expect(Object.keys(pkg.bin)).toContain(stage.cmd[0]);
  });

  it('its default command, the MCP server over HTTP, refuses to start without authentication', async () => {
    const env = { ...stage.env, HOST: '127.0.0.1', PATH: process.env.PATH ?? '' };
    const run = await runToExit(join(BIN, `${stage.cmd[0]}.js`), stage.cmd.slice(1), env);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/MCP_AUTH_TOKEN/);
  });
});

function runToExit(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('compose.yaml', () => {
  it('publishes every port on loopback only, and keeps the model server behind a profile', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(compose.services.ollama?.profiles).toEqual(['local-model']);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['emulator', 'mcp', 'agent']));
  });

  it('refuses to start without the tokens, as compose would', () => {
    expect(() => interpolate(compose.services.mcp!.environment!.MCP_AUTH_TOKEN!, {})).toThrow(
      /set MCP_AUTH_TOKEN/,
    );
  });
});

describe('the compose stack, started as compose would start it', () => {
  const names = ['emulator', 'mcp', 'agent'] as const;
  const ports = new Map<string, number>();
  const children: ChildProcess[] = [];
  const logs: Record<string, string> = {};
  let model: FakeModel;
  let home: string;
  const dotenv: Record<string, string> = {
    MCP_AUTH_TOKEN: 'compose-mcp-token-0123456789',
    AGENT_AUTH_TOKEN: 'compose-agent-token-0123456789',
  };

  /** Service names and container ports as loopback addresses of this machine. */
  const local = (text: string) =>
    text
      .replace(/\b(emulator|mcp|ollama|localhost):(\d+)/g, (_m, host: string, port: string) => {
        const mapped = ports.get(port) ?? Number(port);
        return `${host === 'localhost' ? 'localhost' : '127.0.0.1'}:${mapped}`;
      })
      .replace(/^0\.0\.0\.0$/, '127.0.0.1');

  function argv(service: ComposeService): string[] {
    const out: string[] = [];
    const cmd = service.command!.map((a) => local(interpolate(a, dotenv)));
    for (let i = 0; i < cmd.length; i++) {
      const prev = cmd[i - 1];
      out.push(prev && /^--(port|registry-port)$/.test(prev) ? String(ports.get(cmd[i]!)) : cmd[i]!);
    }
    return out;
  }

  function environment(service: ComposeService): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home };
    for (const [k, v] of Object.entries({ ...runtimeStage().env, ...service.environment })) {
      const value = local(interpolate(v, dotenv));
      env[k] = k === 'PORT' ? String(ports.get(value)) : value;
    }
    return env;
  }

  async function healthy(test: string[], env: Record<string, string>): Promise<void> {
    const [program, ...args] = test[0] === 'CMD' ? test.slice(1) : test;
    expect(program).toBe('node');
    const script = args
      .map((a) => local(a))
      .map((a) =>
        a
          .replace(/process\.env\.PORT/g, JSON.stringify(env.PORT ?? ''))
          .replace(/127\.0\.0\.1:(\d+)/g, (_m, p) => `127.0.0.1:${ports.get(p) ?? p}`),
      );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const run = await new Promise<number | null>((resolve) =>
        spawn(process.execPath, script, { env, stdio: 'ignore' }).on('exit', resolve),
      );
      if (run === 0) return;
      if (Date.now() > deadline) throw new Error(`not healthy: ${test.join(' ')}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'dh-compose-'));
    for (const port of ['8000', '5000', '8080', '8090']) ports.set(port, await freePort());
    model = await startFakeModel();
    dotenv.LLM_BASE_URL = model.baseUrl;
    dotenv.LLM_MODEL = model.model;
    for (const name of names) {
      const service = compose.services[name]!;
      const [program, ...args] = argv(service);
      const env = environment(service);
      const child = spawn(process.execPath, [join(BIN, `${program}.js`), ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      logs[name] = '';
      child.stdout?.on('data', (d) => {
        logs[name] += d;
      });
      child.stderr?.on('data', (d) => {
        logs[name] += d;
      });
      children.push(child);
      // depends_on: service_healthy, with the service's healthcheck or the image's.
      await healthy(service.healthcheck?.test ?? ['CMD', ...runtimeStage().healthcheck], env).catch((err) => {
        throw new Error(`${name}: ${(err as Error).message}\n${logs[name]}`);
      });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            c.on('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await model?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('the agent answers from the emulator demo data, through the MCP server', async () => {
    model.script([
      { toolCalls: [{ name: 'hub_repos', args: { action: 'list', namespace: 'acme' } }] },
      { text: 'acme has web, api, hello and legacy-batch.' },
    ]);
    const res = await fetch(`http://127.0.0.1:${ports.get('8090')}/a2a/jsonrpc`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'a2a-version': '1.0',
        authorization: `Bearer ${dotenv.AGENT_AUTH_TOKEN}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: {
          message: {
            messageId: 'm1',
            role: 'ROLE_USER',
            parts: [{ text: 'Which repositories does acme have?' }],
          },
        },
      }),
    });
    const body = (await res.json()) as { result?: { task?: { status?: { state?: string } } } };
    expect(body.result?.task?.status?.state, JSON.stringify(body)).toBe('TASK_STATE_COMPLETED');
    const seen = JSON.stringify(toolResults(model.requests[1]!));
    expect(seen).toContain('legacy-batch');
    expect(seen).toContain('"status":"ok"');
  });

  it('the MCP server reads the registry and Scout under their compose names, with its token only', async () => {
    const url = new URL(`http://127.0.0.1:${ports.get('8080')}/mcp`);
    const client = new Client({ name: 'compose-test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { authorization: `Bearer ${dotenv.MCP_AUTH_TOKEN}` } },
      }),
    );
    try {
      const image = local('emulator:5000/acme/hello:v2');
      const inspect = await client.callTool({
        name: 'hub_registry',
        arguments: { action: 'inspect', reference: image },
      });
      expect(inspect.isError, JSON.stringify(inspect)).toBeFalsy();
      const summary = await client.callTool({
        name: 'hub_scout',
        arguments: { action: 'summary', reference: image },
      });
      expect(summary.isError, JSON.stringify(summary)).toBeFalsy();
    } finally {
      await client.close();
    }
    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);
  });
});
