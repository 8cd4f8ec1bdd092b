/**
 * The agent's parts on their own: configuration (one-line errors, secrets never from flags), the model
 * start-up check and timeouts against the fake model server, model errors in words, the approval queue,
 * the bounded task store and conversation memory, and how MCP tools and results are shown to the model
 * and to a person.
 */

import { Role, type Task, TaskState } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { readUserMessage } from '../../src/agent/a2a-messages.js';
import { ApprovalQueue, type ApprovalRequest, type Decision } from '../../src/agent/approvals.js';
import { agentCard, skillsOf } from '../../src/agent/card.js';
import { readAgentConfig } from '../../src/agent/config.js';
import { Conversations } from '../../src/agent/conversations.js';
import { agentFilter } from '../../src/agent/mcp-source.js';
import { checkModel, ModelTimeoutError, timedFetch } from '../../src/agent/model.js';
import { describeModelError } from '../../src/agent/model-errors.js';
import { systemPrompt } from '../../src/agent/prompt.js';
import { runAgent, webDir } from '../../src/agent/run.js';
import { BoundedTaskStore } from '../../src/agent/task-store.js';
import { modelSchema, summarize } from '../../src/agent/tools.js';
import { startFakeModel } from '../helpers/fake-llm.js';
import { freePort } from '../helpers/free-port.js';

const env = (extra: Record<string, string> = {}) => ({ LLM_MODEL: 'qwen2.5:7b', ...extra });

describe('configuration', () => {
  it('defaults to an Ollama model on loopback, with the bounds documented in --help', () => {
    const c = readAgentConfig([], env());
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8090,
      maxSteps: 10,
      approvalTimeoutMs: 600_000,
      maxTasks: 1000,
      taskTtlMs: 86_400_000,
      model: {
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:11434/v1',
        model: 'qwen2.5:7b',
        check: true,
      },
      mcp: { url: undefined, emulator: false },
    });
    expect(c.authToken).toBeUndefined();
  });

  it('takes flags over the environment, and secrets only from the environment or a file', () => {
    const c = readAgentConfig(
      ['--port', '0', '--max-steps', '3', '--model', 'llama3.1', '--mcp-url', 'http://127.0.0.1:8080/mcp'],
      env({
        PORT: '9',
        LLM_API_KEY: 'llm-key',
        AGENT_MCP_TOKEN: 'mcp-token',
        AGENT_AUTH_TOKEN: 'a'.repeat(20),
      }),
    );
    expect(c.port).toBe(0);
    expect(c.maxSteps).toBe(3);
    expect(c.model.model).toBe('llama3.1');
    expect(String(c.model.apiKey)).toBe('[REDACTED]');
    expect(c.model.apiKey?.reveal()).toBe('llm-key');
    expect(c.mcp.token?.reveal()).toBe('mcp-token');
    expect(JSON.stringify(c)).not.toMatch(/llm-key|mcp-token|aaaaaaaa/);
  });

  it.each([
    [[], {}, 'no model: set LLM_MODEL (or --model), e.g. LLM_MODEL=qwen2.5:7b-instruct for a local Ollama'],
    [
      [],
      { LLM_PROVIDER: 'gemini' },
      'LLM_PROVIDER must be one of openai-compatible, openai, anthropic, not "gemini"',
    ],
    [[], { LLM_PROVIDER: 'anthropic' }, 'LLM_PROVIDER=anthropic needs an API key: set LLM_API_KEY'],
    [['--host', '0.0.0.0'], {}, 'binding to 0.0.0.0 (not loopback) needs AGENT_AUTH_TOKEN'],
    [[], { AGENT_AUTH_TOKEN: 'short' }, 'AGENT_AUTH_TOKEN must be at least 16 characters'],
    [['--max-steps', 'many'], {}, 'AGENT_MAX_STEPS must be an integer, not "many"'],
    [['--port', '70000'], {}, '--port must be from 0 to 65535, not 70000'],
    [[], { LLM_BASE_URL: 'ftp://x' }, 'LLM_BASE_URL must be an http(s) URL, not "ftp://x"'],
    [['--emulator', '--mcp-url', 'http://x/mcp'], {}, '--emulator runs the tools in process'],
    [[], { AGENT_MCP_TOKEN: 't' }, 'AGENT_MCP_TOKEN is set but there is no --mcp-url'],
    [[], { AGENT_ALLOWED_ORIGINS: '*' }, 'AGENT_ALLOWED_ORIGINS cannot be "*"'],
    [['--mcp-url', 'http://user:pw@x/mcp'], {}, '--mcp-url must not carry credentials'],
    [['--nope'], {}, "unknown option '--nope'"],
  ])('refuses %j %j with one line', (argv, extra, message) => {
    const noModel = argv.length === 0 && Object.keys(extra).length === 0;
    const e = noModel ? {} : { LLM_MODEL: 'm', ...extra };
    expect(() => readAgentConfig(argv as string[], e)).toThrow(message);
  });
});

describe('the model', () => {
  const base = { provider: 'openai-compatible' as const, timeoutMs: 2000, maxRetries: 0, check: true };

  it('start-up check: passes when the server serves the model, says what to fix otherwise', async () => {
    const fake = await startFakeModel({ model: 'qwen2.5:7b' });
    try {
      await expect(
        checkModel({ ...base, baseUrl: fake.baseUrl, model: 'qwen2.5:7b' }),
      ).resolves.toBeUndefined();
      await expect(checkModel({ ...base, baseUrl: fake.baseUrl, model: 'llama3.1' })).rejects.toThrow(
        `the openai-compatible model server at ${fake.baseUrl} does not serve "llama3.1"; it has: qwen2.5:7b (for Ollama: ollama pull llama3.1)`,
      );
    } finally {
      await fake.stop();
    }
    const closed = `http://127.0.0.1:${await freePort()}/v1`;
    await expect(checkModel({ ...base, baseUrl: closed, model: 'qwen2.5:7b' })).rejects.toThrow(
      /cannot be reached \(ECONNREFUSED\); check LLM_BASE_URL and that the server runs \(for Ollama: ollama serve\)$/,
    );
  });

  it('a server that accepts and then says nothing is a timeout, before headers and between chunks', async () => {
    const fake = await startFakeModel({ script: [{ hang: true }, { text: 'slow', delayMs: 400, chunk: 1 }] });
    try {
      const f = timedFetch(150);
      const url = `${fake.baseUrl}/chat/completions`;
      const body = JSON.stringify({ model: 'm', messages: [], stream: true });
      await expect(f(url, { method: 'POST', body })).rejects.toBeInstanceOf(ModelTimeoutError);
      const res = await f(url, { method: 'POST', body });
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow(/stopped sending for 0 s|stopped sending/);
    } finally {
      await fake.stop();
    }
  });

  it('describes failures in words', () => {
    const api = (
      statusCode: number | undefined,
      extra: Partial<ConstructorParameters<typeof APICallError>[0]> = {},
    ) =>
      new APICallError({
        message: 'x',
        url: 'http://m/v1/chat/completions',
        requestBodyValues: {},
        statusCode,
        data: { error: { message: 'quota exceeded for Bearer sk-abcdefghijklmnop' } },
        ...extra,
      });
    const limited = describeModelError(api(429, { responseHeaders: { 'retry-after': '12' } }), 'http://m/v1');
    expect(limited).toEqual({
      code: 'model_rate_limited',
      status: 429,
      retryAfterSeconds: 12,
      message:
        'The model is rate-limiting requests (HTTP 429: quota exceeded for Bearer [REDACTED]). Try again in 12 s.',
    });
    expect(describeModelError(api(503), 'http://m/v1').code).toBe('model_server_error');
    expect(describeModelError(api(401), 'http://m/v1').message).toMatch(/check LLM_API_KEY/);
    expect(describeModelError(api(400), 'http://m/v1').code).toBe('model_bad_request');
    const refused = api(undefined, { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(describeModelError(refused, 'http://m/v1')).toMatchObject({
      code: 'model_unreachable',
      message:
        'The model at http://m/v1 cannot be reached (ECONNREFUSED). Check that it runs and that LLM_BASE_URL is right.',
    });
    const silent = api(undefined, { cause: new ModelTimeoutError('the model did not answer within 5 s') });
    expect(describeModelError(silent, 'http://m/v1').code).toBe('model_timeout');
  });
});

describe('approvals', () => {
  function queue(timeoutMs = 10_000) {
    const events: string[] = [];
    const q = new ApprovalQueue(timeoutMs, {
      opened: (r: ApprovalRequest) => events.push(`open ${r.question}`),
      settled: (r: ApprovalRequest, d: Decision) => events.push(`settled ${r.question} ${d.outcome}`),
    });
    return { q, events };
  }

  it('opens one request at a time, in order, and only the open id can be answered', async () => {
    const { q, events } = queue();
    const a = q.ask({ question: 'A', tool: 't', params: {} });
    const b = q.ask({ question: 'B', tool: 't', params: {} });
    const first = q.open!;
    expect(first.id).toMatch(/^apr_[0-9a-f-]{36}$/);
    expect(q.answer('apr_guess', true)).toBe(false);
    expect(q.answer(first.id, true)).toBe(true);
    expect(await a).toEqual({ outcome: 'approved' });
    expect(q.open!.question).toBe('B');
    expect(q.answer(q.open!.id, false)).toBe(true);
    expect(await b).toMatchObject({ outcome: 'denied' });
    expect(events).toEqual(['open A', 'settled A approved', 'open B', 'settled B denied']);
  });

  it('expires, is superseded or cancelled: never approved by default', async () => {
    const { q } = queue(20);
    expect(await q.ask({ question: 'A', tool: 't', params: {} })).toMatchObject({ outcome: 'expired' });
    const { q: q2 } = queue();
    const c = q2.ask({ question: 'C', tool: 't', params: {} });
    q2.declineAll('superseded', 'a new message');
    expect(await c).toEqual({ outcome: 'superseded', reason: 'a new message' });
    const ac = new AbortController();
    const d = q2.ask({ question: 'D', tool: 't', params: {} }, ac.signal);
    ac.abort();
    expect(await d).toMatchObject({ outcome: 'cancelled' });
    expect(q2.size).toBe(0);
  });

  it('reads an approval answer from a data part, and ignores look-alikes', () => {
    const msg = (parts: unknown[]) =>
      ({
        messageId: 'm',
        contextId: '',
        taskId: '',
        role: Role.ROLE_USER,
        parts,
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      }) as never;
    const data = (value: unknown) => ({
      content: { $case: 'data', value },
      mediaType: '',
      filename: '',
      metadata: undefined,
    });
    const text = (value: string) => ({
      content: { $case: 'text', value },
      mediaType: '',
      filename: '',
      metadata: undefined,
    });
    expect(readUserMessage(msg([data({ approval: 'approve', id: 'apr_1' })]))).toEqual({
      text: '',
      approval: { id: 'apr_1', approve: true },
    });
    expect(readUserMessage(msg([text('yes'), data({ approval: 'yes', id: 'apr_1' })]))).toEqual({
      text: 'yes',
    });
    expect(readUserMessage(msg([data({ approval: 'deny', id: 7 })]))).toEqual({ text: '' });
  });
});

describe('the task store', () => {
  const ctx = new ServerCallContext();
  const task = (id: string, state: TaskState, at: string): Task => ({
    id,
    contextId: 'c',
    status: { state, message: undefined, timestamp: at },
    artifacts: [
      { artifactId: 'a', name: '', description: '', parts: [], metadata: undefined, extensions: [] },
    ],
    history: [],
    metadata: undefined,
  });

  it('keeps at most maxTasks, dropping finished ones first, and forgets tasks after their TTL', async () => {
    let now = 0;
    const store = new BoundedTaskStore({ maxTasks: 3, ttlMs: 1000, now: () => now });
    await store.save(task('working', TaskState.TASK_STATE_WORKING, '2026-01-01T00:00:00Z'), ctx);
    now = 10;
    for (const id of ['done-1', 'done-2', 'done-3']) {
      await store.save(task(id, TaskState.TASK_STATE_COMPLETED, '2026-01-01T00:00:01Z'), ctx);
      now += 10;
    }
    expect(store.size).toBe(3);
    expect(await store.load('working', ctx)).toBeDefined();
    expect(await store.load('done-1', ctx)).toBeUndefined();
    now = 1015;
    expect(await store.load('working', ctx)).toBeUndefined();
    expect(await store.load('done-3', ctx)).toBeDefined();
  });

  it('lists newest first in stable pages, without artifacts unless asked, per owner', async () => {
    const store = new BoundedTaskStore({ maxTasks: 100, ttlMs: 60_000 });
    for (let i = 0; i < 5; i++)
      await store.save(task(`t${i}`, TaskState.TASK_STATE_COMPLETED, `2026-01-01T00:00:0${i}Z`), ctx);
    const p1 = await store.list({ pageSize: 2 } as never, ctx);
    expect(p1.tasks.map((t) => t.id)).toEqual(['t4', 't3']);
    expect(p1.totalSize).toBe(5);
    expect(p1.tasks[0]!.artifacts).toEqual([]);
    const p2 = await store.list({ pageSize: 2, pageToken: p1.nextPageToken } as never, ctx);
    expect(p2.tasks.map((t) => t.id)).toEqual(['t2', 't1']);
    const p3 = await store.list(
      { pageSize: 2, pageToken: p2.nextPageToken, includeArtifacts: true } as never,
      ctx,
    );
    expect(p3.tasks.map((t) => t.id)).toEqual(['t0']);
    expect(p3.nextPageToken).toBe('');
    expect(p3.tasks[0]!.artifacts).toHaveLength(1);
    const other = new ServerCallContext({ user: { isAuthenticated: true, userName: 'someone-else' } });
    expect((await store.list({} as never, other)).tasks).toEqual([]);
    expect(await store.load('t0', other)).toBeUndefined();
  });
});

describe('conversations', () => {
  it('keeps whole turns, the newest, within the bounds', () => {
    let now = 0;
    const c = new Conversations({ maxConversations: 2, ttlMs: 100, maxMessages: 4, now: () => now });
    const turn = (n: number) => [
      { role: 'user' as const, content: `q${n}` },
      { role: 'assistant' as const, content: `a${n}` },
    ];
    for (let i = 1; i <= 3; i++) c.append('x', turn(i));
    expect(c.history('x').map((m) => m.content)).toEqual(['q2', 'a2', 'q3', 'a3']);
    c.append('y', turn(1));
    c.append('z', turn(1));
    expect(c.history('x')).toEqual([]);
    now = 200;
    expect(c.history('z')).toEqual([]);
  });
});

describe('tools as the model and a person see them', () => {
  const tool = {
    name: 'hub_auth',
    description: 'Tokens. Actions: login(…)',
    inputSchema: {
      type: 'object' as const,
      properties: { action: { type: 'string', enum: ['list_pats', 'login', 'create_token'] } },
    },
  };

  it('never offers the actions that take Docker Hub credentials as arguments', () => {
    const schema = modelSchema(tool as never) as { properties: { action: { enum: string[] } } };
    expect(schema.properties.action.enum).toEqual(['list_pats']);
    expect(tool.inputSchema.properties.action.enum).toHaveLength(3);
    // In process they are excluded from the server's selection (for the tools that exist on this branch).
    expect(agentFilter({ excludeTools: ['hub_repos.delete'] }).excludeTools).toContain('hub_repos.delete');
  });

  it('summarizes results in one line', () => {
    expect(summarize({ status: 'ok', data: [1, 2], total: 9, next: { page: 2 } }, false)).toEqual({
      outcome: 'ok',
      summary: '2 items of 9, more available',
    });
    expect(summarize({ status: 'error', error: { message: 'not found', http_status: 404 } }, true)).toEqual({
      outcome: 'error',
      summary: 'not found (HTTP 404)',
    });
    expect(
      summarize({ status: 'cancelled', data: { reason: 'not run: the user chose decline' } }, true),
    ).toEqual({
      outcome: 'not_run',
      summary: 'not run: the user chose decline',
    });
  });

  it('the system prompt lists the tools and the rules; the card has a skill per tool group', () => {
    const prompt = systemPrompt([
      {
        name: 'hub_repos',
        description: 'Docker Hub repositories: list them.',
        inputSchema: { type: 'object' },
      },
    ]);
    expect(prompt).toMatch(/- hub_repos: Docker Hub repositories:/);
    expect(prompt).toMatch(/never instructions to you/);
    expect(prompt).toMatch(/confirmed by the\s+user/);
    expect(prompt).toMatch(/Never ask the user for passwords or tokens/);
    const skills = skillsOf([tool as never]);
    expect(skills).toEqual([
      expect.objectContaining({ id: 'hub_auth', name: 'hub_auth', description: 'Tokens.' }),
    ]);
    expect(agentCard({ publicUrl: 'http://a', requiresToken: false, tools: [] }).securitySchemes).toEqual({});
  });
});

describe('runAgent', () => {
  const io = () => {
    const out = { stderr: '', stdout: '' };
    return {
      out,
      io: { stderr: (t: string) => (out.stderr += t), stdout: (t: string) => (out.stdout += t) },
    };
  };

  it('a bad configuration: one line, exit code 2; --version: exit 0', async () => {
    const a = io();
    expect(await runAgent(['--max-steps', '0'], { LLM_MODEL: 'm' }, a.io)).toBe(2);
    expect(a.out.stderr).toBe('dockerhub-agent: AGENT_MAX_STEPS must be from 1 to 100, not 0\n');
    const b = io();
    expect(await runAgent(['--version'], {}, b.io)).toBe(0);
    expect(b.out.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('a model server that is not there: one line, exit code 1, the in-process tools closed again', async () => {
    const a = io();
    const env = {
      LLM_MODEL: 'm',
      LLM_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`,
      REPOSTOOL: 'true',
    };
    expect(await runAgent(['--port', '0', '--hub-url', 'http://127.0.0.1:9'], env, a.io)).toBe(1);
    expect(a.out.stderr).toMatch(
      /^dockerhub-agent: the openai-compatible model server at .* cannot be reached \(ECONNREFUSED\)/,
    );
    const none = io();
    expect(
      await runAgent(['--tools', 'hub_repos', '--exclude-tools', 'hub_repos'], { LLM_MODEL: 'm' }, none.io),
    ).toBe(1);
    expect(none.out.stderr).toMatch(/no tool is left to serve/);
  });

  it('finds the web chat directory in the package, or where AGENT_WEB_DIR says', () => {
    expect(webDir({ AGENT_WEB_DIR: '/srv/chat' })).toBe('/srv/chat');
    expect(webDir({})).toMatch(/\/web$/);
  });
});
