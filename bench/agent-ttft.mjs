#!/usr/bin/env node
// dockerhub-agent's time to the first streamed token, with the scripted fake model (tests/helpers/fake-llm.ts,
// loaded through Node's type stripping) and the built agent (`dockerhub-agent --emulator`): from the
// SendStreamingMessage request to the first answer chunk on the SSE stream, for a direct answer and for an
// answer after one tool call against the in-process MCP server; beside it the fake model's own time to its
// first chunk, so the difference is the agent's overhead. Also the agent's cold start (spawn to /health).
// Usage: npm run bench:agent [-- --runs 30]
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', 'dist', 'bin', 'dockerhub-agent.js');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 30) || 30;
const { startFakeModel, toolResults } = await import('../tests/helpers/fake-llm.ts');

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

let mode = 'direct';
const fake = await startFakeModel({
  script: (req) => {
    if (mode === 'tool' && toolResults(req).length === 0)
      return { toolCalls: [{ name: 'hub_repos', args: { action: 'list', namespace: 'acme' } }] };
    return { text: 'acme has four repositories: api, hello, legacy-batch and web.', chunk: 8 };
  },
});

const port = await freePort();
const started = process.hrtime.bigint();
const child = spawn(process.execPath, [BIN, '--emulator', '--port', String(port)], {
  env: {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    DOCKER_CONFIG: '/nonexistent',
    LLM_BASE_URL: fake.baseUrl,
    LLM_MODEL: fake.model,
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const url = `http://127.0.0.1:${port}`;
for (;;) {
  if (child.exitCode !== null) throw new Error(`the agent exited: ${stderr}`);
  const ok = await fetch(`${url}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise((r) => setTimeout(r, 10));
}
const coldStart = ms(started);

/** One streaming request: ms to the first answer chunk, and to the end of the stream. */
async function once(text) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/a2a/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'SendStreamingMessage',
      params: { message: { messageId: `b-${Math.random()}`, role: 'ROLE_USER', parts: [{ text }] } },
    }),
  });
  const decoder = new TextDecoder();
  let buffer = '';
  let first;
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    if (first === undefined && buffer.includes('"artifactUpdate"')) first = ms(t0);
  }
  if (!buffer.includes('TASK_STATE_COMPLETED'))
    throw new Error(`the task did not complete: ${buffer.slice(-500)}`);
  return { first, total: ms(t0) };
}

/** The fake model alone: ms to its first content chunk. */
async function baseline() {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: fake.model, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const decoder = new TextDecoder();
  let buffer = '';
  let first;
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    if (first === undefined && /"content":"[^"]+"/.test(buffer)) first = ms(t0);
  }
  return first;
}

const results = {};
for (const m of ['direct', 'tool']) {
  mode = m;
  await once('warm up'); // the first request loads the provider and the MCP tool code
  const firsts = [];
  const totals = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await once("What are acme's repositories?");
    firsts.push(r.first);
    totals.push(r.total);
  }
  results[m] = { firsts, totals };
}
mode = 'direct';
const base = [];
for (let i = 0; i < RUNS; i++) base.push(await baseline());

child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
await fake.stop();

const f = (x) => x.toFixed(1);
console.log(
  `Agent time to first streamed token (fake model on loopback, built dockerhub-agent --emulator, ${RUNS} runs each)\n`,
);
console.log('| request | first answer chunk, median (ms) | p90 (ms) | whole answer, median (ms) |');
console.log('|---|---:|---:|---:|');
console.log(
  `| direct answer | ${f(quantile(results.direct.firsts, 0.5))} | ${f(quantile(results.direct.firsts, 0.9))} | ${f(quantile(results.direct.totals, 0.5))} |`,
);
console.log(
  `| answer after one tool call (hub_repos list, in-process MCP, emulator) | ${f(quantile(results.tool.firsts, 0.5))} | ${f(quantile(results.tool.firsts, 0.9))} | ${f(quantile(results.tool.totals, 0.5))} |`,
);
console.log(
  `| the fake model alone (its own first chunk) | ${f(quantile(base, 0.5))} | ${f(quantile(base, 0.9))} | |`,
);
console.log(`\nCold start (spawn to /health answering, emulator included): ${f(coldStart)} ms`);
