// @ts-check
/**
 * The agent's A2A 1.0 JSON-RPC API, same origin: the card, plain calls (GetTask, CancelTask, ListTasks)
 * and streaming calls (SendStreamingMessage, SubscribeToTask) read as SSE from a fetch body (EventSource
 * cannot POST). The token, when there is one, goes only into the Authorization header. Failures come out
 * as typed errors a person can be told about: the agent unreachable, an HTTP status (401: the token), or a
 * JSON-RPC error.
 */

/** @typedef {{ code: number, message: string }} RpcErrorBody */
/** @typedef {{ jsonrpc?: string, id?: unknown, result?: any, error?: RpcErrorBody }} Envelope */

export class AgentUnreachableError extends Error {
  constructor() {
    super(
      `Can't reach the agent at ${location.origin}. Check that dockerhub-agent is running, then try again.`,
    );
    this.name = 'AgentUnreachableError';
  }
}

export class AgentHttpError extends Error {
  /**
   * @param {number} status
   * @param {string} detail
   */
  constructor(status, detail) {
    super(
      status === 401
        ? 'The agent refused the token (HTTP 401). Enter the token its operator set in AGENT_AUTH_TOKEN.'
        : status === 403
          ? `The agent refused this page's request (HTTP 403${detail ? `: ${detail}` : ''}).`
          : `The agent answered HTTP ${status}${detail ? `: ${detail}` : ''}.`,
    );
    this.name = 'AgentHttpError';
    this.status = status;
  }
}

/** Words for the agent's JSON-RPC error codes (docs/agent.md). */
const RPC_WORDS = /** @type {Record<number, string>} */ ({
  [-32001]: 'The agent no longer has this task (it was restarted, or the task expired).',
  [-32002]: 'This task can no longer be cancelled: it has already finished.',
  [-32004]: 'The agent is still working on this request: wait for it, or stop it, then send again.',
  [-32009]: 'The agent does not speak the A2A version this page uses (1.0).',
  [-32601]: 'The agent does not know this method; it may be an older version.',
});

export class AgentRpcError extends Error {
  /** @param {RpcErrorBody} body */
  constructor(body) {
    const words = RPC_WORDS[body.code];
    super(words ? `${words} (${body.message})` : `The agent answered with an error: ${body.message}`);
    this.name = 'AgentRpcError';
    this.code = body.code;
    this.detail = body.message;
  }
}

let counter = 0;

/**
 * @param {Response} res
 * @returns {Promise<string>}
 */
async function detailOf(res) {
  try {
    const text = await res.text();
    try {
      const body = JSON.parse(text);
      return String(body?.error?.message ?? body?.error ?? '').slice(0, 300);
    } catch {
      return text.slice(0, 300);
    }
  } catch {
    return '';
  }
}

/**
 * Splits an SSE body into `data:` payloads (joined across lines), one per event.
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<string>}
 */
export async function* sseData(body) {
  const decoder = /** @type {TransformStream<Uint8Array, string>} */ (
    /** @type {unknown} */ (new TextDecoderStream())
  );
  const reader = body.pipeThrough(decoder).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.search(/\r?\n\r?\n/);
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = block
          .split(/\r?\n/)
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) yield data;
        end = buffer.search(/\r?\n\r?\n/);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export class AgentClient {
  /** @param {{ token: () => string | undefined }} opts */
  constructor(opts) {
    this.token = opts.token;
    this.endpoint = new URL('a2a/jsonrpc', location.href).href;
  }

  /** @returns {Record<string, string>} */
  headers() {
    /** @type {Record<string, string>} */
    const headers = { 'content-type': 'application/json', 'a2a-version': '1.0' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  /** The agent card (public). */
  async card() {
    let res;
    try {
      res = await fetch(new URL('.well-known/agent-card.json', location.href), {
        headers: { 'a2a-version': '1.0', accept: 'application/json' },
        cache: 'no-store',
      });
    } catch {
      throw new AgentUnreachableError();
    }
    if (!res.ok) throw new AgentHttpError(res.status, await detailOf(res));
    return res.json();
  }

  /**
   * @param {string} method
   * @param {unknown} params
   * @param {AbortSignal} [signal]
   */
  async #post(method, params, signal) {
    let res;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { ...this.headers(), accept: 'text/event-stream, application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++counter, method, params }),
        cache: 'no-store',
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new AgentUnreachableError();
    }
    if (!res.ok) throw new AgentHttpError(res.status, await detailOf(res));
    return res;
  }

  /**
   * A plain call; resolves with its result, or throws.
   * @param {string} method
   * @param {unknown} params
   */
  async call(method, params) {
    const res = await this.#post(method, params);
    /** @type {Envelope} */
    let body;
    try {
      body = await res.json();
    } catch {
      throw new AgentUnreachableError();
    }
    if (body.error) throw new AgentRpcError(body.error);
    return body.result;
  }

  /**
   * A streaming call: each SSE event's JSON-RPC envelope, as it comes. A JSON answer (an error before
   * the stream began) comes out as one envelope.
   * @param {string} method
   * @param {unknown} params
   * @param {AbortSignal} [signal]
   * @returns {AsyncGenerator<Envelope>}
   */
  async *stream(method, params, signal) {
    const res = await this.#post(method, params, signal);
    if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream') || !res.body) {
      yield/** @type {Envelope} */ (await res.json());
      return;
    }
    try {
      for await (const data of sseData(res.body)) yield/** @type {Envelope} */ (JSON.parse(data));
    } catch (err) {
      if (signal?.aborted) throw err;
      // The connection broke mid-stream (the agent stopped, the network went away).
      throw new AgentUnreachableError();
    }
  }
}
