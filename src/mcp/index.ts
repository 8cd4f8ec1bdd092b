/**
 * dockerhub-api/mcp: the MCP server as a library. `createDockerHubMcpServer` builds a server (the SDK's
 * McpServer) from SDK clients and a tool selection; the `dockerhub-mcp` executable wires it to stdio or
 * streamable HTTP.
 */
export {
  type ActionContext,
  type Effect,
  type ParamSpec,
  TOOL_NAMES,
  type ToolName,
  type ToolSpec,
} from './action.js';
export { McpClients, type McpClientsOptions } from './clients.js';
export type { ConfirmMode } from './confirm.js';
export { DEFAULT_LIMITS, type Envelope, type ResultLimits } from './result.js';
export { type ExposedTool, type Narrowing, narrowTools, selectTools, type ToolFilter } from './selection.js';
export {
  createDockerHubMcpServer,
  type DockerHubMcpServerOptions,
  SERVER_INSTRUCTIONS,
  SERVER_NAME,
} from './server.js';
export { ALL_TOOLS } from './tools/index.js';
