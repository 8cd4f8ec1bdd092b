/**
 * The agent assembled: MCP tools + model → executor → the SDK's request handler with a bounded task
 * store → the HTTP server, and the card kept in step with the tool list. `runAgent` (run.ts) builds the
 * pieces from configuration; tests build them directly.
 */
import { type AgentCard, TaskState } from '@a2a-js/sdk';
import type { LanguageModel } from 'ai';
import type { Logger } from '../core/logger.js';
import type { Secret } from '../core/secret.js';
import { agentCard } from './card.js';
import { Conversations } from './conversations.js';
import { DockerHubAgentExecutor } from './executor.js';
import type { AgentMcp } from './mcp-connection.js';
import { AgentRequestHandler, type RunningAgentServer, startAgentServer } from './server.js';
import { BoundedTaskStore } from './task-store.js';

export interface AgentOptions {
  mcp: AgentMcp;
  model: LanguageModel;
  /** Where the model is (provider and URL), for error messages. */
  modelWhere: string;
  host: string;
  port: number;
  /** Default http://HOST:PORT (the port the server got, when 0). */
  publicUrl?: string;
  authToken?: Secret;
  allowedOrigins?: readonly string[];
  maxSteps: number;
  maxRetries: number;
  approvalTimeoutMs: number;
  toolTimeoutMs: number;
  maxTasks: number;
  taskTtlMs: number;
  staticDir?: string;
  logger: Logger;
}

export interface RunningAgent {
  url: string;
  card: AgentCard;
  executor: DockerHubAgentExecutor;
  taskStore: BoundedTaskStore;
  server: RunningAgentServer;
  /** Stops serving, stops every run, closes the MCP connection. */
  close(): Promise<void>;
}

export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const taskStore = new BoundedTaskStore({ maxTasks: opts.maxTasks, ttlMs: opts.taskTtlMs });
  const conversations = new Conversations({ maxConversations: opts.maxTasks, ttlMs: opts.taskTtlMs });
  const executor = new DockerHubAgentExecutor({
    model: opts.model,
    modelWhere: opts.modelWhere,
    mcp: opts.mcp,
    taskStore,
    conversations,
    maxSteps: opts.maxSteps,
    maxRetries: opts.maxRetries,
    toolTimeoutMs: opts.toolTimeoutMs,
    approvalTimeoutMs: opts.approvalTimeoutMs,
    logger: opts.logger,
  });
  // The card object is the handler's: filled in once the port is known, and again when the tools change.
  const card = agentCard({
    publicUrl: opts.publicUrl ?? 'http://127.0.0.1',
    requiresToken: !!opts.authToken,
    tools: [],
  });
  const requestHandler = new AgentRequestHandler(
    card,
    taskStore,
    executor,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    {
      keepBusAliveStates: [TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_AUTH_REQUIRED],
    },
  );
  requestHandler.isBusy = (taskId) => executor.isBusy(taskId);
  const server = await startAgentServer({
    host: opts.host,
    port: opts.port,
    publicUrl: opts.publicUrl ?? 'http://127.0.0.1',
    authToken: opts.authToken,
    allowedOrigins: opts.allowedOrigins ?? [],
    requestHandler,
    staticDir: opts.staticDir,
    logger: opts.logger,
  });
  const publicUrl = opts.publicUrl ?? server.url;
  const refresh = () =>
    Object.assign(card, agentCard({ publicUrl, requiresToken: !!opts.authToken, tools: opts.mcp.tools() }));
  refresh();
  opts.mcp.onToolsChanged(refresh);
  return {
    url: server.url,
    card,
    executor,
    taskStore,
    server,
    async close() {
      executor.abortAll();
      await server.close();
      await opts.mcp.close();
    },
  };
}
