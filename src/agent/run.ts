/**
 * Starts `dockerhub-agent` from its configuration: the MCP tools (in process, optionally against a local
 * emulator, or a remote dockerhub-mcp), the start-up check of the model, then the A2A server. A
 * configuration problem is one line on stderr and exit code 2; a tool or model server that cannot be
 * used is one line and exit code 1. Stops cleanly on SIGINT/SIGTERM.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { getLogger } from '../core/logger.js';
import { redactText } from '../core/redact.js';
import { Secret } from '../core/secret.js';
import { processIO, type RunIO } from '../mcp/program-args.js';
import { startAgent } from './agent.js';
import { type AgentConfig, readAgentConfig } from './config.js';
import type { AgentMcp } from './mcp-connection.js';
import { connectInProcess, connectRemote } from './mcp-source.js';
import { checkModel, createLanguageModel } from './model.js';

/**
 * The web chat's directory: AGENT_WEB_DIR, else `web/` at the package's root (found by walking up from
 * this file, which is bundled into dist/bin/ or run from src/agent/).
 */
export function webDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.AGENT_WEB_DIR) return env.AGENT_WEB_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dockerhub-api')
          return join(dir, 'web');
      } catch {
        // not ours
      }
    }
    dir = dirname(dir);
  }
  return undefined;
}

function oneLine(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'the port is already in use (choose another with --port or PORT)';
  if (code === 'EACCES') return 'not allowed to listen on that port (choose one above 1024)';
  return redactText(err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

async function tools(config: AgentConfig, io: RunIO): Promise<AgentMcp> {
  if (config.mcp.url) return connectRemote(config.mcp.url, config.mcp.token?.reveal());
  let clients = config.mcp.clients;
  let onClose: (() => Promise<void>) | undefined;
  if (config.mcp.emulator) {
    const { startEmulatorSession } = await import('../mcp/emulator-mode.js');
    const session = await startEmulatorSession();
    // Registered as a secret, so any text that would carry the demo password is scrubbed.
    const password = session.clients.credentials?.password;
    if (typeof password === 'string') new Secret(password);
    clients = { ...clients, ...session.clients };
    onClose = session.close;
    io.stderr(
      `dockerhub-agent: tools against the local Docker Hub emulator at ${session.emulator.url} (demo data; image ${session.image})\n`,
    );
  }
  return connectInProcess({ clients, filter: config.mcp.filter, logger: getLogger(), onClose });
}

/** Resolves when the agent has stopped; the value is the exit code. */
export async function runAgent(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: RunIO = processIO,
): Promise<number> {
  let config: AgentConfig;
  try {
    config = readAgentConfig(argv, env, io.stdout);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`dockerhub-agent: ${oneLine(err)}\n`);
    return 2;
  }
  const logger = getLogger();
  let mcp: AgentMcp | undefined;
  try {
    mcp = await tools(config, io);
    if (config.model.check) await checkModel(config.model);
  } catch (err) {
    await mcp?.close().catch(() => undefined);
    io.stderr(`dockerhub-agent: ${oneLine(err)}\n`);
    return 1;
  }
  const model = await createLanguageModel(config.model);
  let agent: Awaited<ReturnType<typeof startAgent>>;
  try {
    agent = await startAgent({
      mcp,
      model,
      modelWhere: config.model.baseUrl,
      host: config.host,
      port: config.port,
      publicUrl: config.publicUrl,
      authToken: config.authToken,
      allowedOrigins: config.allowedOrigins,
      maxSteps: config.maxSteps,
      maxRetries: config.model.maxRetries,
      approvalTimeoutMs: config.approvalTimeoutMs,
      toolTimeoutMs: config.toolTimeoutMs,
      maxTasks: config.maxTasks,
      taskTtlMs: config.taskTtlMs,
      staticDir: webDir(env),
      logger,
    });
  } catch (err) {
    await mcp.close().catch(() => undefined);
    io.stderr(`dockerhub-agent: cannot listen on ${config.host}:${config.port}: ${oneLine(err)}\n`);
    return 1;
  }
  const names = mcp.tools().map((t) => t.name);
  io.stderr(
    `dockerhub-agent: A2A at ${agent.url}/a2a/jsonrpc, card at ${agent.url}/.well-known/agent-card.json, chat at ${agent.url}/ ` +
      `(model ${config.model.model} via ${config.model.provider} at ${config.model.baseUrl}; tools ${mcp.source}: ${names.join(', ')}` +
      `${config.authToken ? '; bearer token required' : ''})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await agent.close().catch(() => undefined);
  return 0;
}
