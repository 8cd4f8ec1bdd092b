/**
 * A scripted OpenAI-compatible model server on loopback: `POST /v1/chat/completions` (streaming or not)
 * answers from a script — streamed text, tool calls, an HTTP error, or silence — and `GET /v1/models`
 * lists the model. Every request it receives (headers and body) is kept, so a test can grep what the
 * agent sent a model for secrets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | null | Array<{ type: string; text?: string }>;
  tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: unknown } }>;
}

export type Reply =
  /** An answer, streamed in pieces of about `chunk` characters. */
  | { text: string; chunk?: number; delayMs?: number }
  /** One or more tool calls (the model's turn ends with finish_reason tool_calls). */
  | { toolCalls: Array<{ name: string; args: Record<string, unknown> }>; text?: string }
  /** An HTTP error, as a provider sends one. */
  | { status: number; error?: string; headers?: Record<string, string> }
  /** Accepts the request and never answers (for timeouts). */
  | { hang: true };

export type Script = (request: ChatRequest, index: number) => Reply;

export interface FakeModel {
  /** The OpenAI-compatible base URL (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string;
  model: string;
  /** Parsed chat-completion requests, in order. */
  requests: ChatRequest[];
  /** Every request as received: method, path, headers and body. */
  raw: string[];
  /** Replaces the script (calls are counted from 0 again). */
  script(next: Script | Reply[]): void;
  stop(): Promise<void>;
}

/** The text of a message, whichever form its content takes. */
export function textOf(message: ChatMessage | undefined): string {
  const c = message?.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => p.text ?? '').join('');
  return '';
}

/** The last message of a request (a user question or a tool result). */
export function lastMessage(request: ChatRequest): ChatMessage | undefined {
  return request.messages[request.messages.length - 1];
}

/** The tool results the request carries after its last user message, as parsed JSON where possible. */
export function toolResults(request: ChatRequest): unknown[] {
  const out: unknown[] = [];
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i]!;
    if (m.role === 'user') break;
    if (m.role !== 'tool') continue;
    const text = textOf(m);
    try {
      out.unshift(JSON.parse(text));
    } catch {
      out.unshift(text);
    }
  }
  return out;
}

function chunk(id: string, model: string, delta: Record<string, unknown>, finish: string | null = null) {
  return `data: ${JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })}\n\n`;
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length ? out : [''];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answer(
  res: ServerResponse,
  req: ChatRequest,
  reply: Reply,
  n: number,
  hanging: Set<ServerResponse>,
) {
  const id = `chatcmpl-${n}`;
  if ('hang' in reply) {
    hanging.add(res);
    return;
  }
  if ('status' in reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(
      JSON.stringify({
        error: { message: reply.error ?? `fake error ${reply.status}`, type: 'server_error', code: null },
      }),
    );
    return;
  }
  const calls =
    'toolCalls' in reply
      ? reply.toolCalls.map((c, i) => ({
          index: i,
          id: `call_${n}_${i}`,
          type: 'function' as const,
          function: { name: c.name, arguments: JSON.stringify(c.args) },
        }))
      : [];
  const text = 'toolCalls' in reply ? (reply.text ?? '') : reply.text;
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  if (req.stream === false) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: req.model,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: text || null,
              ...(calls.length ? { tool_calls: calls } : {}),
            },
            finish_reason: calls.length ? 'tool_calls' : 'stop',
          },
        ],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(chunk(id, req.model, { role: 'assistant', content: '' }));
  if (text) {
    const size = 'chunk' in reply && reply.chunk ? reply.chunk : 8;
    for (const piece of pieces(text, size)) {
      res.write(chunk(id, req.model, { content: piece }));
      if ('delayMs' in reply && reply.delayMs) await sleep(reply.delayMs);
    }
  }
  for (const call of calls) {
    // Arguments arrive in two pieces, as real servers split them.
    const args = call.function.arguments;
    const half = Math.floor(args.length / 2);
    res.write(
      chunk(id, req.model, {
        tool_calls: [
          {
            index: call.index,
            id: call.id,
            type: 'function',
            function: { name: call.function.name, arguments: args.slice(0, half) },
          },
        ],
      }),
    );
    res.write(
      chunk(id, req.model, {
        tool_calls: [{ index: call.index, function: { arguments: args.slice(half) } }],
      }),
    );
  }
  res.write(
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: req.model,
      choices: [{ index: 0, delta: {}, finish_reason: calls.length ? 'tool_calls' : 'stop' }],
      usage,
    })}\n\n`,
  );
  res.end('data: [DONE]\n\n');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeModel(
  opts: { model?: string; script?: Script | Reply[] } = {},
): Promise<FakeModel> {
  const model = opts.model ?? 'fake-model';
  const requests: ChatRequest[] = [];
  const raw: string[] = [];
  const hanging = new Set<ServerResponse>();
  let script: Script = () => ({ status: 500, error: 'fake model: no script' });
  let calls = 0;
  const setScript = (next: Script | Reply[]) => {
    calls = 0;
    script = Array.isArray(next)
      ? (_req, i) => next[i] ?? { status: 500, error: `fake model: the script has ${next.length} replies` }
      : next;
  };
  if (opts.script) setScript(opts.script);

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    raw.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', owned_by: 'fake' }] }));
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
      return;
    }
    let parsed: ChatRequest;
    try {
      parsed = JSON.parse(body) as ChatRequest;
    } catch {
      res.writeHead(400).end();
      return;
    }
    requests.push(parsed);
    const n = calls++;
    await answer(res, parsed, script(parsed, n), n, hanging);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model,
    requests,
    raw,
    script: setScript,
    async stop() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
