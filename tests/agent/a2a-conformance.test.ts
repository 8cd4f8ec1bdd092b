/**
 * A2A conformance of the agent's server, with the SDK's own client and with raw JSON-RPC over HTTP: the
 * card's shape, SendMessage, the SSE framing of SendStreamingMessage, GetTask, ListTasks, CancelTask,
 * the HTTP+JSON binding, 0.3 clients, error codes (unknown method, A2A-Version missing or wrong), and the
 * fail-closed edges (401 without the token, hostile Origin and Host answered 403, no wildcard CORS).
 */
import { request as httpRequest } from 'node:http';
import { Role } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  JsonRpcTransportFactory,
  RestTransportFactory,
} from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastMessage, type Reply, textOf, toolResults } from '../helpers/fake-llm.js';
import {
  AGENT_TOKEN,
  dataParts,
  emulatorFor,
  expectNoSentinel,
  type Json,
  parseSse,
  type RunningTestAgent,
  startTestAgent,
  states,
  userMessage,
} from './harness.js';

const emu = emulatorFor();
let t: RunningTestAgent;

beforeAll(async () => {
  t = await startTestAgent(emu(), {
    authToken: AGENT_TOKEN,
    allowedOrigins: ['http://chat.example.test'],
    modelTimeoutMs: 20_000,
    script: (req): Reply => {
      const said = textOf(lastMessage(req));
      if (said.includes('hang')) return { hang: true };
      if (toolResults(req).length) return { text: 'acme has 6 repositories.' };
      if (said.includes('repositories'))
        return { toolCalls: [{ name: 'hub_repos', args: { action: 'list', namespace: 'acme' } }] };
      return { text: `You said: ${said}` };
    },
  });
});

afterAll(async () => {
  expectNoSentinel(t);
  await t.close();
});

const authFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${AGENT_TOKEN}`);
  return fetch(input, { ...init, headers });
};

/** A user message in the SDK's own (1.0) types. */
function sdkMessage(text: string) {
  return {
    message: {
      messageId: `sdk-${Math.random().toString(36).slice(2)}`,
      contextId: '',
      taskId: '',
      role: Role.ROLE_USER,
      parts: [
        {
          content: { $case: 'text' as const, value: text },
          mediaType: 'text/plain',
          filename: '',
          metadata: undefined,
        },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
    tenant: '',
  };
}

function sdkClient(prefer: 'JSONRPC' | 'HTTP+JSON' = 'JSONRPC') {
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [
        new JsonRpcTransportFactory({ fetchImpl: authFetch }),
        new RestTransportFactory({ fetchImpl: authFetch }),
      ],
      preferredTransports: [prefer],
    }),
  );
  return factory.createFromUrl(t.url);
}

async function raw(path: string, init: RequestInit = {}) {
  const res = await fetch(`${t.url}${path}`, init);
  const text = await res.text();
  t.responses.push(text);
  return { res, text };
}

async function rawRpc(body: Json, headers: Record<string, string>) {
  const { res, text } = await raw('/a2a/jsonrpc', { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: text ? JSON.parse(text) : undefined, res };
}

describe('the agent card', () => {
  it('is public and says what the server serves: interfaces, streaming, the bearer scheme, one skill per tool group', async () => {
    const { res, text } = await raw('/.well-known/agent-card.json', { headers: { 'a2a-version': '1.0' } });
    expect(res.status).toBe(200);
    const card = JSON.parse(text);
    expect(card.name).toBe('dockerhub-agent');
    expect(card.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(card.supportedInterfaces).toEqual(
      expect.arrayContaining([
        { url: `${t.url}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        { url: `${t.url}/a2a/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0' },
        { url: `${t.url}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
        { url: `${t.url}/a2a/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '0.3' },
      ]),
    );
    expect(card.supportedInterfaces).toHaveLength(4);
    expect(card.capabilities).toMatchObject({ streaming: true, pushNotifications: false });
    expect(card.securitySchemes).toEqual({
      bearer: { httpAuthSecurityScheme: expect.objectContaining({ scheme: 'Bearer' }) },
    });
    expect(card.securityRequirements).toEqual([{ schemes: { bearer: {} } }]);
    // One skill per tool group the MCP server offers (this branch has hub_repos; more as tools land).
    expect(card.skills.map((s: { id: string }) => s.id)).toEqual(t.agent.card.skills.map((s) => s.id));
    const repos = card.skills.find((s: { id: string }) => s.id === 'hub_repos');
    expect(repos).toMatchObject({ id: 'hub_repos', name: 'Docker Hub repositories' });
    expect(repos.examples.length).toBeGreaterThan(0);
    expect(repos.description).not.toMatch(/Actions:/);
  });

  it('answers a 0.3 client (no A2A-Version) with the 0.3 shape', async () => {
    const { res, text } = await raw('/.well-known/agent-card.json');
    expect(res.status).toBe(200);
    const card = JSON.parse(text);
    expect(card.url).toBe(`${t.url}/a2a/jsonrpc`);
    expect(card.protocolVersion).toMatch(/^0\.3/);
    expect(card.capabilities.streaming).toBe(true);
  });
});

describe('the SDK client', () => {
  it('SendMessage: a blocking call returns the finished task with the answer', async () => {
    const client = await sdkClient();
    const result = await client.sendMessage(sdkMessage('hello there') as never);
    const task = result as Json;
    expect(task.status.state).toBe(3); // TASK_STATE_COMPLETED
    expect(task.artifacts[0].parts[0].content).toEqual({ $case: 'text', value: 'You said: hello there' });
  });

  it('SendStreamingMessage: tool calls as status updates, then the answer, then completed', async () => {
    const client = await sdkClient();
    const kinds: string[] = [];
    for await (const ev of client.sendMessageStream(sdkMessage('how many repositories has acme?') as never)) {
      const p = ev.payload;
      // The answer may come in several chunks: count them as one step here.
      if (kinds.at(-1) === 'artifactUpdate' && p?.$case === 'artifactUpdate') continue;
      if (p?.$case === 'statusUpdate') {
        const data = p.value.status?.message?.parts.find((x) => x.content?.$case === 'data')?.content;
        kinds.push(`status:${p.value.status?.state}${data?.$case === 'data' ? `:${data.value.type}` : ''}`);
      } else kinds.push(p?.$case ?? 'none');
    }
    expect(kinds).toEqual([
      'task',
      'status:2',
      'status:2:tool-call',
      'status:2:tool-result',
      'artifactUpdate',
      'status:3',
    ]);
  });

  it('GetTask and ListTasks see the tasks; CancelTask stops a running one', async () => {
    const client = await sdkClient('HTTP+JSON');
    const listed = await client.listTasks({ pageSize: 50 } as never);
    expect(listed.tasks.length).toBeGreaterThanOrEqual(2);
    const one = listed.tasks[0]!;
    const got = await client.getTask({ id: one.id, historyLength: 1 } as never);
    expect(got.id).toBe(one.id);
    expect(got.history.length).toBeLessThanOrEqual(1);

    const running = client.sendMessageStream(sdkMessage('hang please') as never);
    const first = await running.next();
    const taskId = (first.value as Json).payload.value.id as string;
    const cancelled = await client.cancelTask({ id: taskId } as never);
    expect(cancelled.status?.state).toBe(5); // TASK_STATE_CANCELED
    const rest: string[] = [];
    for await (const ev of running) rest.push(String(ev.payload?.$case));
    expect((await client.getTask({ id: taskId } as never)).status?.state).toBe(5);
  });
});

describe('raw JSON-RPC', () => {
  const headers = () => t.headers();

  it('frames SendStreamingMessage as SSE: data lines of JSON-RPC responses with the request id', async () => {
    const res = await fetch(`${t.url}/a2a/jsonrpc`, {
      method: 'POST',
      headers: { ...headers(), accept: 'text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 'stream-1',
        method: 'SendStreamingMessage',
        params: userMessage('sse?'),
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toMatch(/no-cache/);
    const text = await res.text();
    t.responses.push(text);
    expect(text.endsWith('\n\n')).toBe(true);
    for (const block of text.trim().split('\n\n')) expect(block).toMatch(/^data: \{.*\}$/s);
    const events = parseSse(text);
    for (const e of events) expect(e).toMatchObject({ jsonrpc: '2.0', id: 'stream-1' });
    expect(events[0]!.result!.task).toBeDefined();
    expect(states(events)).toEqual(['TASK_STATE_SUBMITTED', 'TASK_STATE_WORKING', 'TASK_STATE_COMPLETED']);
    expect(dataParts(events)).toEqual([]);
  });

  it('SendMessage, GetTask, ListTasks and CancelTask of a finished task', async () => {
    const sent = await rawRpc(
      { jsonrpc: '2.0', id: 1, method: 'SendMessage', params: userMessage('raw') },
      headers(),
    );
    expect(sent.status).toBe(200);
    const task = sent.body.result.task;
    expect(task.status.state).toBe('TASK_STATE_COMPLETED');
    const got = await rawRpc(
      { jsonrpc: '2.0', id: 2, method: 'GetTask', params: { id: task.id } },
      headers(),
    );
    expect(got.body.result.history[0].parts[0].text).toBe('raw');
    const list = await rawRpc(
      { jsonrpc: '2.0', id: 3, method: 'ListTasks', params: { contextId: task.contextId } },
      headers(),
    );
    expect(list.body.result.tasks.map((x: { id: string }) => x.id)).toEqual([task.id]);
    const cancel = await rawRpc(
      { jsonrpc: '2.0', id: 4, method: 'CancelTask', params: { id: task.id } },
      headers(),
    );
    expect(cancel.body.error.code).toBe(-32002); // TaskNotCancelable: it is finished
    const missing = await rawRpc(
      { jsonrpc: '2.0', id: 5, method: 'GetTask', params: { id: 'no-such-task' } },
      headers(),
    );
    expect(missing.body.error.code).toBe(-32001);
  });

  it('answers an unknown method with -32601', async () => {
    const r = await rawRpc({ jsonrpc: '2.0', id: 7, method: 'NoSuchMethod', params: {} }, headers());
    expect(r.body).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32601 } });
  });

  it('treats a missing A2A-Version as 0.3 (per the spec), and refuses a version it does not speak', async () => {
    const { 'a2a-version': _v, ...noVersion } = headers();
    const v1WithoutHeader = await rawRpc(
      { jsonrpc: '2.0', id: 8, method: 'SendMessage', params: userMessage('x') },
      noVersion,
    );
    expect(v1WithoutHeader.body.error.code).toBe(-32601);
    const legacy = await rawRpc(
      {
        jsonrpc: '2.0',
        id: 9,
        method: 'message/send',
        params: {
          message: {
            kind: 'message',
            messageId: 'legacy-1',
            role: 'user',
            parts: [{ kind: 'text', text: 'from 0.3' }],
          },
        },
      },
      noVersion,
    );
    expect(legacy.body.result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    const wrong = await rawRpc(
      { jsonrpc: '2.0', id: 10, method: 'SendMessage', params: userMessage('x') },
      { ...headers(), 'a2a-version': '9.9' },
    );
    expect(wrong.body.error.code).toBe(-32009);
  });

  it('speaks HTTP+JSON too', async () => {
    const { res, text } = await raw('/a2a/rest/message:send', {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify(userMessage('over rest')),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(text).task.artifacts[0].parts[0].text).toBe('You said: over rest');
  });
});

describe('fail-closed edges', () => {
  it('answers 401 without the token or with a wrong one, on both bindings; the card, /health and / stay public', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'GetTask', params: { id: 'x' } });
    const base = { 'content-type': 'application/json', 'a2a-version': '1.0' };
    for (const auth of [undefined, 'Bearer wrong-token-0123456789', `Basic ${AGENT_TOKEN}`, AGENT_TOKEN]) {
      const h: Record<string, string> = auth ? { ...base, authorization: auth } : base;
      const rpc = await raw('/a2a/jsonrpc', { method: 'POST', headers: h, body });
      expect(rpc.res.status).toBe(401);
      expect(rpc.res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const rest = await raw('/a2a/rest/tasks', { headers: h });
      expect(rest.res.status).toBe(401);
    }
    expect((await raw('/.well-known/agent-card.json')).res.status).toBe(200);
    const health = await raw('/health');
    expect(health.res.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
    const page = await raw('/');
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('refuses a hostile Origin, answers a listed one by name, never with a wildcard', async () => {
    const hostile = await raw('/a2a/jsonrpc', {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example' },
    });
    expect(hostile.res.status).toBe(403);
    const listed = await raw('/a2a/jsonrpc', {
      method: 'OPTIONS',
      headers: { origin: 'http://chat.example.test', 'access-control-request-method': 'POST' },
    });
    expect(listed.res.status).toBe(204);
    expect(listed.res.headers.get('access-control-allow-origin')).toBe('http://chat.example.test');
    const own = await raw('/health', { headers: { origin: t.url } });
    expect(own.res.status).toBe(200);
    expect(own.res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a Host name it does not serve (DNS rebinding)', async () => {
    const { port } = new URL(t.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(port),
          path: '/health',
          headers: { host: `rebind.example:${port}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
