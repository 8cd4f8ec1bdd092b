/**
 * Per-request tool choice over HTTP, as GitHub's MCP server does it: `X-MCP-Tools` (tools or
 * `tool.action`s, comma-separated) and `X-MCP-Readonly: true` narrow what the server was started with,
 * never widen it. A name that is no tool or action is an error naming it, so a typo does not silently
 * hide everything; a known tool the server does not serve is simply not there.
 */
import { ValidationError } from '../../core/errors.js';
import { type ExposedTool, envFlag, narrowTools, splitList } from '../selection.js';
import { ALL_TOOLS } from '../tools/index.js';

export const TOOLS_HEADER = 'X-MCP-Tools';
export const READONLY_HEADER = 'X-MCP-Readonly';

/** Reads one header by name (any case); undefined when absent. */
export type HeaderReader = (name: string) => string | undefined;

function checkActions(items: readonly string[]): void {
  for (const item of items) {
    const [tool, action, extra] = item.split('.');
    if (extra !== undefined) throw new ValidationError(`"${item}" is neither a tool nor tool.action`);
    if (action === undefined) continue;
    const name = tool!.toLowerCase().startsWith('hub_') ? tool!.toLowerCase() : `hub_${tool!.toLowerCase()}`;
    const spec = ALL_TOOLS.find((t) => t.name === name);
    if (spec && !(action in spec.actions))
      throw new ValidationError(
        `unknown action "${action}" of ${name}; actions: ${Object.keys(spec.actions).join(', ')}`,
      );
  }
}

/** The tools one request sees; a ValidationError (one line, naming the header) for a bad header. */
export function requestTools(started: readonly ExposedTool[], header: HeaderReader): readonly ExposedTool[] {
  const toolsText = header(TOOLS_HEADER);
  const readonlyText = header(READONLY_HEADER);
  if (toolsText === undefined && readonlyText === undefined) return started;
  const tools = toolsText === undefined ? [] : splitList(toolsText);
  let readOnly: boolean;
  let narrowed: ExposedTool[];
  try {
    checkActions(tools);
    readOnly = envFlag({ [READONLY_HEADER]: readonlyText?.trim() || 'false' }, READONLY_HEADER, false);
    narrowed = narrowTools(started, { ...(tools.length ? { tools } : {}), readOnly });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const which = err.message.startsWith(READONLY_HEADER) ? '' : `${TOOLS_HEADER}: `;
    throw new ValidationError(`${which}${err.message}`);
  }
  if (narrowed.length === 0)
    throw new ValidationError(
      `${TOOLS_HEADER}/${READONLY_HEADER} leave no tool to serve; this server serves ${started.map((t) => t.spec.name).join(', ')}`,
    );
  return narrowed;
}

/** A reader over a web-standard Request's headers (the SDK's factory gets the Request). */
export function webHeaders(request: Request | undefined): HeaderReader {
  return (name) => request?.headers.get(name) ?? undefined;
}

/** A reader over node:http's headers (repeated lines of a custom header arrive joined with ", "). */
export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderReader {
  return (name) => {
    const v = headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  };
}
