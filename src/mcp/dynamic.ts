/**
 * Dynamic tools, for clients whose context is small: the server starts with one discovery tool,
 * `hub_toolsets`, that lists the tool groups this server may serve and enables one on request. Enabling
 * registers the tool, and the SDK tells the client with `notifications/tools/list_changed`. Only what the
 * server's selection allows can be enabled.
 */
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { ExposedTool } from './selection.js';

interface ToolsetsOptions {
  tools: readonly ExposedTool[];
}

export const TOOLSETS_TOOL = 'hub_toolsets';

export function registerToolsets(
  server: McpServer,
  opts: ToolsetsOptions,
  register: (tool: ExposedTool) => RegisteredTool,
): void {
  const enabled = new Map<string, RegisteredTool>();
  const describe = () =>
    opts.tools.map((t) => ({
      name: t.spec.name,
      title: t.spec.title,
      description: t.spec.description,
      actions: t.actions,
      enabled: enabled.has(t.spec.name),
    }));
  const reply = (data: unknown, isError = false) => {
    const envelope = { status: isError ? 'error' : 'ok', data, rate_limit: null };
    return {
      content: [{ type: 'text' as const, text: JSON.stringify(envelope) }],
      structuredContent: envelope,
      ...(isError ? { isError: true } : {}),
    };
  };
  server.registerTool(
    TOOLSETS_TOOL,
    {
      title: 'Docker Hub tool groups',
      description: [
        'Discovers and enables the Docker Hub tool groups of this server (they start disabled to save context).',
        'Actions: list() — the groups, their actions and whether each is enabled;',
        'enable(toolset) — enable a group; its tool appears in tools/list.',
      ].join(' '),
      inputSchema: z.object({
        action: z.enum(['list', 'enable']).describe('list or enable'),
        toolset: z
          .string()
          .optional()
          .describe(`The group to enable [enable]: ${opts.tools.map((t) => t.spec.name).join(', ')}`),
      }),
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    async ({ action, toolset }) => {
      if (action === 'list') return reply(describe());
      const name = toolset?.startsWith('hub_') ? toolset : `hub_${toolset ?? ''}`;
      const tool = opts.tools.find((t) => t.spec.name === name);
      if (!toolset || !tool)
        return reply(
          {
            message: `hub_toolsets.enable: ${toolset ? `unknown or unavailable toolset "${toolset}"` : 'missing parameter "toolset"'}. Toolsets: ${opts.tools.map((t) => t.spec.name).join(', ')}.`,
          },
          true,
        );
      if (!enabled.has(name)) enabled.set(name, register(tool));
      return reply({ enabled: name, actions: tool.actions });
    },
  );
}
