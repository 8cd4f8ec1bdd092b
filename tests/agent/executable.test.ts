/**
 * The built `dockerhub-agent` (dist/bin, as users run it): `--emulator` with the fake model serves the
 * card, answers through the in-process tools against the demo data, waits for approval of a delete when
 * destructive actions are on, and stops on SIGTERM; a bad configuration is one line and exit 2; a model
 * server that is not there is one line and exit 1, before anything listens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../src/agent/server.js';
import {
  type FakeModel,
  lastMessage,
  type Reply,
  startFakeModel,
  textOf,
  toolResults,
} from '../helpers/fake-llm.js';
import { freePort } from '../helpers/free-port.js';
import {
  AGENT_TOKEN,
  answerText,
  approvalMessage,
  dataParts,
  parseSse,
  states,
  userMessage,
} from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'dockerhub-agent.js');
const NODE = process.execPath;

let fake: FakeModel;
let child: ChildProcess | undefined;

beforeAll(async () => {
  fake = await startFakeModel({
    script: (req): Reply => {
      const said = textOf(lastMessage(req));
      const results = toolResults(req) as Array<{
        status: string;
        data: Array<{ name: string }> | { reason?: string };
      }>;
      if (results.length) {
        const r = results[0]!;
        return {
          text: Array.isArray(r.data)
            ? `acme has: ${r.data.map((x) => x.name).join(', ')}.`
            : `Result: ${r.status}.`,
        };
      }
      if (said.includes('delete'))
        return {
          toolCalls: [
            { name: 'hub_repos', args: { action: 'delete', namespace: 'acme', repository: 'legacy-batch' } },
          ],
        };
      return { toolCalls: [{ name: 'hub_repos', args: { action: 'list', namespace: 'acme' } }] };
    },
  });
});
afterAll(async () => fake?.stop());
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: '/nonexistent', DOCKER_CONFIG: '/nonexistent', ...extra };
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(NODE, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the agent and resolves with its URL once it says it listens. */
function start(args: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(NODE, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    let stderr = '';
    p.stderr!.on('data', (d) => {
      stderr += d;
      const m = /A2A at (http:\/\/[^\s]+)\/a2a\/jsonrpc/.exec(stderr);
      if (m) resolve({ url: m[1]!, stderr: () => stderr });
    });
    p.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
}

describe('the dockerhub-agent executable', () => {
  it('--emulator: card, an answer from the demo data, an approved delete, and a clean stop', async () => {
    const port = await freePort();
    const { url, stderr } = await start(
      ['--emulator', '--allow-destructive', '--port', String(port)],
      baseEnv({
        LLM_BASE_URL: fake.baseUrl,
        LLM_MODEL: fake.model,
        AGENT_AUTH_TOKEN: AGENT_TOKEN,
      }),
    );
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(stderr()).toMatch(/tools against the local Docker Hub emulator/);
    expect(stderr()).toMatch(/tools in-process: .*hub_repos/);
    expect(stderr()).not.toContain(AGENT_TOKEN);
    const cardRes = await fetch(`${url}/.well-known/agent-card.json`, { headers: { 'a2a-version': '1.0' } });
    const card = (await cardRes.json()) as { supportedInterfaces: Array<{ url: string }> };
    expect(card.supportedInterfaces[0]!.url).toBe(`${url}/a2a/jsonrpc`);
    // The web chat the package ships (web/, found from dist/bin), public, under the strict CSP.
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(await page.text()).toMatch(/<script type="module" src="js\/main\.js"><\/script>/);
    const script = await fetch(`${url}/js/main.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const headers = {
      'content-type': 'application/json',
      'a2a-version': '1.0',
      authorization: `Bearer ${AGENT_TOKEN}`,
    };
    const send = async (params: unknown) => {
      const res = await fetch(`${url}/a2a/jsonrpc`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'SendStreamingMessage', params }),
      });
      return parseSse(await res.text());
    };
    const listed = await send(userMessage("What are acme's repositories?"));
    expect(answerText(listed)).toBe('acme has: api, hello, legacy-batch, web.');

    const asked = await send(userMessage('delete acme/legacy-batch'));
    expect(states(asked).at(-1)).toBe('TASK_STATE_INPUT_REQUIRED');
    const req = dataParts(asked).find((d) => d.type === 'approval-request') as {
      id: string;
      question: string;
    };
    expect(req.question).toMatch(/acme\/legacy-batch/);
    const task = asked[0]!.result!.task!;
    const done = await send(approvalMessage(task.id, task.contextId, req.id, true));
    expect(answerText(done)).toBe('Result: ok.');

    child!.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child!.on('exit', r));
    expect(code).toBe(0);
  }, 60_000);

  it('a bad configuration is one line on stderr and exit code 2', async () => {
    const res = await run(['--port', 'eighty'], baseEnv({ LLM_MODEL: 'm' }));
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toBe('dockerhub-agent: --port must be an integer, not "eighty"\n');
    const noModel = await run([], baseEnv());
    expect(noModel.code).toBe(2);
    expect(noModel.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a model server that is not there is one line and exit code 1, before anything listens', async () => {
    const port = await freePort();
    const res = await run(
      ['--port', String(port)],
      baseEnv({ LLM_MODEL: 'm', LLM_BASE_URL: `http://127.0.0.1:${await freePort()}/v1` }),
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /^dockerhub-agent: the openai-compatible model server at http:\/\/127\.0\.0\.1:\d+\/v1 cannot be reached \(ECONNREFUSED\)/,
    );
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help describes the configuration', async () => {
    const res = await run(['--help'], baseEnv());
    expect(res.code).toBe(0);
    for (const name of [
      'LLM_PROVIDER',
      'LLM_BASE_URL',
      'LLM_MODEL',
      'LLM_API_KEY',
      'AGENT_AUTH_TOKEN',
      'AGENT_MCP_TOKEN',
      '--mcp-url',
      '--emulator',
      'AGENT_MAX_STEPS',
      'AGENT_APPROVAL_TIMEOUT',
      'AGENT_MAX_TASKS',
    ])
      expect(res.stdout).toContain(name);
  });
});
