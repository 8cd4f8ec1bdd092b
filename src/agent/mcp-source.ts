/**
 * Where the agent's tools come from. In process (the default): `createDockerHubMcpServer` with McpClients
 * and `selectTools` exactly as `dockerhub-mcp` builds them, served by `createMcpHandler` and reached
 * through its `fetch` (the 2026-07-28 protocol, no socket). Remote: a `dockerhub-mcp` over streamable
 * HTTP with its bearer token, the protocol revision negotiated.
 */
import { createMcpHandler } from '@modelcontextprotocol/server';
import { DockerHubError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { redactText } from '../core/redact.js';
import { VERSION } from '../core/version.js';
import { McpClients, type McpClientsOptions } from '../mcp/clients.js';
import type { ResultLimits } from '../mcp/result.js';
import { selectTools, type ToolFilter } from '../mcp/selection.js';
import { createDockerHubMcpServer } from '../mcp/server.js';
import { ALL_TOOLS } from '../mcp/tools/index.js';
import { type AgentMcp, connectMcp } from './mcp-connection.js';
import { CREDENTIAL_ACTIONS } from './tools.js';

export const IN_PROCESS_URL = new URL('http://dockerhub-mcp.in-process/mcp');
export const MODERN_REVISION = '2026-07-28';

export interface InProcessOptions {
  clients: McpClientsOptions;
  filter: ToolFilter;
  limits?: ResultLimits;
  logger?: Logger;
  /** Closed with the connection (an emulator started for it). */
  onClose?: () => Promise<void>;
}

/** The tool filter with the credential-taking actions left out (they are never the agent's to call). */
export function agentFilter(filter: ToolFilter): ToolFilter {
  const credentialActions = Object.entries(CREDENTIAL_ACTIONS).flatMap(([tool, actions]) => {
    const spec = ALL_TOOLS.find((t) => t.name === tool);
    return spec ? actions.filter((a) => a in spec.actions).map((a) => `${tool}.${a}`) : [];
  });
  return { ...filter, excludeTools: [...(filter.excludeTools ?? []), ...credentialActions] };
}

export async function connectInProcess(opts: InProcessOptions): Promise<AgentMcp> {
  const tools = selectTools(ALL_TOOLS, agentFilter(opts.filter));
  if (tools.length === 0)
    throw new DockerHubError(
      'no tool is left to serve: check --tools, --exclude-tools and the *TOOL variables',
    );
  const clients = new McpClients(opts.clients);
  const handler = createMcpHandler(() =>
    createDockerHubMcpServer({
      clients,
      tools,
      // The agent always answers confirmations (a person decides); a call it cannot confirm does not run.
      confirm: 'always',
      limits: opts.limits,
      logger: opts.logger,
      version: VERSION,
    }),
  );
  return connectMcp({
    url: IN_PROCESS_URL,
    fetch: (url, init) => handler.fetch(new Request(url, init)),
    pin: MODERN_REVISION,
    source: 'in-process',
    onClose: async () => {
      await handler.close();
      await clients.close();
      await opts.onClose?.();
    },
  });
}

export async function connectRemote(url: string, token: string | undefined): Promise<AgentMcp> {
  try {
    return await connectMcp({ url: new URL(url), token, source: url });
  } catch (err) {
    const message = redactText(err instanceof Error ? err.message : String(err));
    throw new DockerHubError(`cannot use the MCP server at ${url}: ${message}`);
  }
}
