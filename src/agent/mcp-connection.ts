/**
 * The agent's only way to Docker Hub: an MCP client. In process by default — the server built by
 * `createDockerHubMcpServer` with the same clients and selection as `dockerhub-mcp`, reached through
 * `createMcpHandler(...).fetch` so the 2026-07-28 protocol runs end to end without a socket — or a remote
 * `dockerhub-mcp` by URL with its bearer token. Either way the server's selection, read-only mode and
 * destructive gating hold for the agent.
 *
 * The server confirms every destructive call by elicitation. The client's `elicitation/create` handler
 * finds the tool call it belongs to (the async context of `call`) and hands the question to that call's
 * `onElicit`, which waits for a person.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CallToolResult,
  Client,
  type ElicitRequestParams,
  type ElicitResult,
  StreamableHTTPClientTransport,
  type Tool,
} from '@modelcontextprotocol/client';
import { VERSION } from '../core/version.js';

export type McpTool = Tool;

export type ElicitHandler = (request: ElicitRequestParams) => Promise<ElicitResult>;

export interface CallOptions {
  signal: AbortSignal;
  /** The call's own timeout, reset by every progress report (a long copy reports as it goes). */
  timeoutMs: number;
  onProgress?(progress: { progress: number; total?: number; message?: string }): void;
  /** Asked for every confirmation the server needs before it runs this call. */
  onElicit: ElicitHandler;
}

export interface AgentMcp {
  /** Where the tools come from, for logs and the card ("in-process", or the server URL). */
  readonly source: string;
  /** The server's tools as it lists them now (refreshed on `tools/list_changed`). */
  tools(): readonly McpTool[];
  /** Called after the tool list changed. */
  onToolsChanged(listener: (tools: readonly McpTool[]) => void): void;
  call(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** A fetch function as StreamableHTTPClientTransport takes it. */
export type FetchFn = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface ConnectOptions {
  /** In process: the handler's fetch. Remote: undefined (the network). */
  fetch?: FetchFn;
  url: URL;
  /** The remote server's bearer token (never logged). */
  token?: string;
  /** Pin the 2026-07-28 revision (in process) or negotiate (remote). */
  pin?: string;
  source: string;
  /** Closes what the connection started (the in-process handler, the emulator). */
  onClose?(): Promise<void>;
  connectTimeoutMs?: number;
}

const routing = new AsyncLocalStorage<{ onElicit: ElicitHandler }>();

export async function connectMcp(opts: ConnectOptions): Promise<AgentMcp> {
  let tools: McpTool[] = [];
  const listeners: Array<(tools: readonly McpTool[]) => void> = [];
  const client = new Client(
    { name: 'dockerhub-agent', version: VERSION },
    {
      capabilities: { elicitation: { form: {} } },
      versionNegotiation: { mode: opts.pin ? { pin: opts.pin } : 'auto' },
      listChanged: {
        tools: {
          onChanged: (error, next) => {
            if (error || !next) return;
            tools = next;
            for (const l of listeners) l(tools);
          },
        },
      },
    },
  );
  client.setRequestHandler('elicitation/create', async (request) => {
    const route = routing.getStore();
    // A question that belongs to no call of ours (nothing asked for it) is declined: nothing runs.
    if (!route) return { action: 'decline' };
    return route.onElicit(request.params as ElicitRequestParams);
  });
  const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
  const transport = new StreamableHTTPClientTransport(opts.url, {
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    requestInit: { headers },
  });
  try {
    await client.connect(transport, { timeout: opts.connectTimeoutMs ?? 15_000 });
    tools = (await client.listTools()).tools;
  } catch (err) {
    await client.close().catch(() => undefined);
    await opts.onClose?.().catch(() => undefined);
    throw err;
  }
  return {
    source: opts.source,
    tools: () => tools,
    onToolsChanged: (l) => listeners.push(l),
    call(name, args, callOpts) {
      return routing.run({ onElicit: callOpts.onElicit }, () =>
        client.callTool(
          { name, arguments: args },
          {
            signal: callOpts.signal,
            timeout: callOpts.timeoutMs,
            resetTimeoutOnProgress: true,
            onprogress: callOpts.onProgress,
          },
        ),
      ) as Promise<CallToolResult>;
    },
    async close() {
      await client.close().catch(() => undefined);
      await opts.onClose?.();
    },
  };
}
