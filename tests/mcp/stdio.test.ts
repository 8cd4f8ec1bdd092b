/**
 * The built `dockerhub-mcp` over stdio, as an assistant launches it: the SDK's stdio client spawns it;
 * stdout carries protocol traffic only, logs go to stderr and hold no secret; closing stdin stops it;
 * `--emulator` serves demo data with no account.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorFor, SENTINEL } from './harness.js';

const BUILT_MCP = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'dockerhub-mcp.js');

const emu = emulatorFor({
  users: [{ username: 'alice', password: SENTINEL }],
  repositories: [{ namespace: 'alice', name: 'app', tags: [{ name: 'v1' }] }],
});
let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'dh-mcp-stdio-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: home, DOCKERHUB_LOG_LEVEL: 'trace' });

async function connect(args: string[], env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BUILT_MCP, ...args],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => {
    stderr += d;
  });
  const client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('dockerhub-mcp over stdio', () => {
  it('serves the tools with the credentials of its environment, logging to stderr only', async () => {
    const { client, stderr } = await connect([], {
      ...baseEnv(),
      DOCKERHUB_API_URL: emu().url,
      DOCKER_HUB_USER: 'alice',
      DOCKER_HUB_TOKEN: SENTINEL,
    });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('hub_repos');
      const res = await client.callTool({
        name: 'hub_repos',
        arguments: { action: 'list', namespace: 'alice' },
      });
      expect(res.isError).toBeFalsy();
      expect((res.structuredContent as { data: Array<{ name: string }> }).data.map((r) => r.name)).toEqual([
        'app',
      ]);
      expect(JSON.stringify(res)).not.toContain(SENTINEL);
    } finally {
      await client.close();
    }
    // trace-level logs went to stderr (the tool call and the SDK's requests), with the secret redacted.
    expect(stderr()).toMatch(/"tool call"/);
    expect(stderr()).not.toContain(SENTINEL);
  });

  it('--emulator serves a local Docker Hub with demo data and no account', async () => {
    const { client, stderr } = await connect(['--emulator'], baseEnv());
    try {
      const res = await client.callTool({
        name: 'hub_repos',
        arguments: { action: 'list', namespace: 'acme' },
      });
      const names = (res.structuredContent as { data: Array<{ name: string }> }).data.map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining(['web', 'api']));
    } finally {
      await client.close();
    }
    expect(stderr()).toMatch(/serving the local Docker Hub emulator at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('stops with exit code 0 when its standard input closes', async () => {
    const child = spawn(process.execPath, [BUILT_MCP], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`,
    );
    await expect.poll(() => stdout, { timeout: 10_000 }).toContain('"serverInfo"');
    child.stdin.end();
    expect(await exited).toBe(0);
    // Every line on stdout is a JSON-RPC message.
    for (const line of stdout.trim().split('\n')) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  });

  it('a configuration error is one line on stderr and exit code 2', async () => {
    const child = spawn(process.execPath, [BUILT_MCP, '--transport', 'carrier-pigeon'], { env: baseEnv() });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toBe('dockerhub-mcp: --transport must be one of stdio, http, not "carrier-pigeon"\n');
    expect(stdout).toBe('');
  });
});
