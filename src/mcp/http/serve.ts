/** Streamable HTTP serving: under construction on this branch (see issue 10). */
import type { McpServer } from '@modelcontextprotocol/server';
import type { McpClients } from '../clients.js';
import type { McpServerConfig } from '../config.js';
import type { ExposedTool } from '../selection.js';

export interface HttpServeOptions {
  config: McpServerConfig;
  clients: McpClients;
  /** The tools the server was started with; a request may narrow them (headers), never widen. */
  tools: readonly ExposedTool[];
  /** Builds a server exposing the given tools (one per request: the endpoint is stateless). */
  build(tools: readonly ExposedTool[]): McpServer;
  /** One line at a time, to stderr. */
  log(text: string): void;
}

export interface RunningHttpServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(_opts: HttpServeOptions): Promise<RunningHttpServer> {
  throw new Error('the HTTP transport is not built yet');
}
