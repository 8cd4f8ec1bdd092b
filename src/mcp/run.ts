/**
 * Starts `dockerhub-mcp` from its configuration: the SDK clients (against Docker Hub, or an emulator
 * started in-process with `--emulator`), the tool selection, then stdio or streamable HTTP. A
 * configuration error is one line on stderr and exit code 2; stdout carries protocol traffic only.
 */
import { CommanderError } from 'commander';
import { DockerHubError } from '../core/errors.js';
import { redactText } from '../core/redact.js';
import { VERSION } from '../core/version.js';
import { McpClients } from './clients.js';
import { type McpServerConfig, readConfig } from './config.js';
import { processIO, type RunIO } from './program-args.js';
import { type ExposedTool, selectTools } from './selection.js';
import { createDockerHubMcpServer } from './server.js';
import { ALL_TOOLS } from './tools/index.js';

/** A start-up failure after the configuration was accepted (a taken port, …): one line, exit code 1. */
function startFailed(io: RunIO, err: unknown): number {
  io.stderr(`dockerhub-mcp: ${redactText(err instanceof Error ? err.message : String(err))}\n`);
  return 1;
}

/** Resolves when the server has stopped (stdin closed, or a signal); the value is the exit code. */
export async function runMcpServer(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: RunIO = processIO,
): Promise<number> {
  let config: McpServerConfig;
  let tools: ExposedTool[];
  try {
    config = readConfig(argv, env, io.stdout);
    tools = selectTools(ALL_TOOLS, config.filter);
    if (tools.length === 0)
      throw new DockerHubError(
        'no tool is left to serve: check --tools, --exclude-tools and the *TOOL variables',
      );
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr(`dockerhub-mcp: ${redactText(err instanceof Error ? err.message : String(err))}\n`);
    return 2;
  }
  const clientOptions = { ...config.clients };
  let stopEmulator: (() => Promise<void>) | undefined;
  if (config.emulator) {
    const { startEmulatorSession } = await import('./emulator-mode.js');
    let session: Awaited<ReturnType<typeof startEmulatorSession>>;
    try {
      session = await startEmulatorSession();
    } catch (err) {
      return startFailed(io, err);
    }
    Object.assign(clientOptions, session.clients);
    stopEmulator = session.close;
    io.stderr(
      `dockerhub-mcp: serving the local Docker Hub emulator at ${session.emulator.url} (demo data; images ${session.images.join(', ')})\n`,
    );
  }
  const clients = new McpClients(clientOptions);
  if (stopEmulator) clients.onClose({ close: stopEmulator });
  const build = (selected: readonly ExposedTool[] = tools) =>
    createDockerHubMcpServer({
      clients,
      tools: selected,
      dynamicTools: config.dynamicTools,
      confirm: config.confirm,
      limits: config.limits,
      version: VERSION,
    });

  // A signal during start-up (the emulator takes a moment) finds nothing to stop yet.
  let stop: () => Promise<void> = async () => {};
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      stop()
        .catch(() => undefined)
        .finally(() => clients.close().finally(resolve));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    if (config.transport === 'stdio') process.stdin.once('end', shutdown).once('close', shutdown);
  });
  if (config.transport === 'stdio') {
    const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
    const handle = serveStdio(() => build());
    stop = () => handle.close();
  } else {
    const { startHttpServer } = await import('./http/serve.js');
    try {
      const http = await startHttpServer({ config, clients, tools, build, log: io.stderr });
      stop = () => http.close();
    } catch (err) {
      await clients.close().catch(() => undefined);
      return startFailed(io, err);
    }
  }
  await stopped;
  return 0;
}
