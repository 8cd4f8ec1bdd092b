#!/usr/bin/env node
// MCP server benchmark: cold start of the built dockerhub-mcp over stdio to its first tools/list answer;
// a tool call's overhead over the same SDK call made directly (both against the emulator, alternating);
// the size of tools/list, which lands in every conversation's context.
// Usage: npm run bench:mcp [-- --runs 15 --calls 300]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { median } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const BIN = join(dist, 'bin', 'dockerhub-mcp.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = opt('runs', 15);
const CALLS = opt('calls', 300);

const { startEmulator } = await import(join(dist, 'emulator', 'index.js'));
const { ALL_TOOLS, McpClients, createDockerHubMcpServer, selectTools } = await import(
  join(dist, 'mcp', 'index.js')
);

/** Spawn to the first tools/list answer, in ms. */
function coldStart() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('"id":2')) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.stdin.end();
        child.on('exit', () => resolve(ms));
      }
    });
    child.on('error', reject);
    const send = (m) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  });
}

async function connect(clients, tools) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  const server = createDockerHubMcpServer({ clients, tools });
  await server.connect(b);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(a);
  return { client, server };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// 1. Cold start (first run also fills Node's compile cache; reported apart).
const first = await coldStart();
const starts = [];
for (let i = 0; i < RUNS; i++) starts.push(await coldStart());

// 2. Overhead of a tool call over the SDK call it makes.
const password = 'bench-password-0123456789';
const emu = await startEmulator({
  seed: {
    users: [{ username: 'bench', password }],
    repositories: [{ namespace: 'bench', name: 'app', description: 'x', tags: [{ name: 'v1' }] }],
  },
  rateLimit: 1_000_000,
});
const clients = new McpClients({
  hubUrl: emu.url,
  credentials: { username: 'bench', password, env: {}, useDockerConfig: false },
});
const hub = await clients.hub();
const { client, server } = await connect(clients, selectTools(ALL_TOOLS, { env: {} }));
const direct = [];
const viaMcp = [];
for (let i = 0; i < 20; i++)
  await client.callTool({
    name: 'hub_repos',
    arguments: { action: 'get', namespace: 'bench', repository: 'app' },
  });
for (let i = 0; i < CALLS; i++) {
  const order = i % 2 === 0;
  for (const which of order ? ['direct', 'mcp'] : ['mcp', 'direct']) {
    const t = process.hrtime.bigint();
    if (which === 'direct') await hub.repositories.get('bench', 'app');
    else
      await client.callTool({
        name: 'hub_repos',
        arguments: { action: 'get', namespace: 'bench', repository: 'app' },
      });
    (which === 'direct' ? direct : viaMcp).push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
await client.close();
await server.close();

// 3. tools/list sizes.
const sizes = {};
for (const [label, filter] of [
  ['every tool and action on', { env: {}, allowDestructive: true }],
  ['defaults (destructive hidden)', { env: {} }],
  ['read-only', { env: {}, readOnly: true }],
]) {
  const c = await connect(clients, selectTools(ALL_TOOLS, filter));
  const { tools } = await c.client.listTools();
  sizes[label] = { bytes: Buffer.byteLength(JSON.stringify({ tools })), tools: tools.length };
  await c.client.close();
  await c.server.close();
}
await clients.close();
await emu.stop();

const overhead = median(viaMcp) - median(direct);
console.log(
  `dockerhub-mcp benchmark (${new Date().toISOString()}, Node ${process.version}, load ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
);
console.log(
  `cold start to first tools/list: median ${median(starts).toFixed(0)} ms over ${RUNS} runs (min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}); first run (compile cache empty or stale) ${first.toFixed(0)} ms`,
);
console.log(
  `tool call hub_repos.get: median ${median(viaMcp).toFixed(2)} ms via MCP, ${median(direct).toFixed(2)} ms direct SDK call; overhead ${overhead.toFixed(2)} ms (${CALLS} calls each, alternating)`,
);
for (const [label, s] of Object.entries(sizes))
  console.log(`tools/list, ${label}: ${s.bytes} bytes (${kb(s.bytes)}), ${s.tools} tools`);
