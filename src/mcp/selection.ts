/**
 * Which tools and actions a server exposes, composed in one place (as GitHub's MCP server does it):
 * environment toggles (`REPOSTOOL=false`…), `--tools`, `--exclude-tools` (a tool, or one `tool.action`),
 * the destructive gate, and read-only mode, which removes every action that changes anything and wins
 * over everything else. Per-request narrowing (HTTP headers) starts from a selection and can only
 * remove from it.
 */
import { ValidationError } from '../core/errors.js';
import { TOOL_NAMES, type ToolName, type ToolSpec } from './action.js';

export interface ToolFilter {
  /** Only these tools (names as `hub_repos` or `repos`); default all. */
  tools?: readonly string[];
  /** Tools (`hub_repos`) or single actions (`hub_repos.delete`) to leave out. */
  excludeTools?: readonly string[];
  /** Remove every action that changes anything. */
  readOnly?: boolean;
  /** Expose destructive actions (default: hidden). */
  allowDestructive?: boolean;
  /** Where the per-tool toggles are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ExposedTool {
  spec: ToolSpec;
  /** The actions this server serves, in declaration order. */
  actions: readonly string[];
  /** Why each other action of the tool is not served. */
  hidden: Readonly<Record<string, string>>;
}

const FALSE = new Set(['false', '0', 'off', 'no']);
const TRUE = new Set(['true', '1', 'on', 'yes', '']);

/** Reads a boolean setting; anything else is a start-up error naming it. */
export function envFlag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (FALSE.has(v)) return false;
  if (TRUE.has(v)) return true;
  throw new ValidationError(`${name} must be true or false, not "${raw}"`);
}

function toolName(name: string): ToolName {
  const n = name.trim().toLowerCase();
  const full = (n.startsWith('hub_') ? n : `hub_${n}`) as ToolName;
  if (!TOOL_NAMES.includes(full))
    throw new ValidationError(`unknown tool "${name}"; tools: ${TOOL_NAMES.join(', ')}`);
  return full;
}

/** Splits a comma-separated list (a flag or a header), dropping blanks. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

interface Exclusions {
  tools: Set<ToolName>;
  actions: Map<ToolName, Set<string>>;
}

function parseExclusions(catalogue: readonly ToolSpec[], items: readonly string[]): Exclusions {
  const out: Exclusions = { tools: new Set(), actions: new Map() };
  for (const item of items) {
    const [tool, action, extra] = item.split('.');
    const name = toolName(tool ?? '');
    if (extra !== undefined) throw new ValidationError(`"${item}" is neither a tool nor tool.action`);
    if (action === undefined) {
      out.tools.add(name);
      continue;
    }
    const spec = catalogue.find((t) => t.name === name);
    if (spec && !(action in spec.actions))
      throw new ValidationError(
        `unknown action "${action}" of ${name}; actions: ${Object.keys(spec.actions).join(', ')}`,
      );
    const set = out.actions.get(name) ?? new Set<string>();
    set.add(action);
    out.actions.set(name, set);
  }
  return out;
}

/** The tools a server started with `filter` exposes. Bad names are a ValidationError naming them. */
export function selectTools(catalogue: readonly ToolSpec[], filter: ToolFilter = {}): ExposedTool[] {
  const env = filter.env ?? process.env;
  const only = filter.tools?.length ? new Set(filter.tools.map(toolName)) : undefined;
  const excluded = parseExclusions(catalogue, filter.excludeTools ?? []);
  const out: ExposedTool[] = [];
  for (const spec of catalogue) {
    if (!envFlag(env, spec.toggle, true)) continue;
    if (only && !only.has(spec.name)) continue;
    if (excluded.tools.has(spec.name)) continue;
    const actions: string[] = [];
    const hidden: Record<string, string> = {};
    for (const [name, action] of Object.entries(spec.actions)) {
      if (filter.readOnly && action.effect !== 'read')
        hidden[name] =
          'the server runs read-only (--read-only / DOCKERHUB_MCP_READ_ONLY), which removes every action that changes anything';
      else if (action.effect === 'destructive' && !filter.allowDestructive)
        hidden[name] =
          'it is destructive, and destructive actions are off; the server operator enables them with DOCKERHUB_ALLOW_DESTRUCTIVE=true';
      else if (excluded.actions.get(spec.name)?.has(name))
        hidden[name] = 'the server operator excluded it (--exclude-tools)';
      else actions.push(name);
    }
    if (actions.length) out.push({ spec, actions, hidden });
  }
  return out;
}

export interface Narrowing {
  /** Keep only these tools or `tool.action`s (a header's list); names not served are ignored. */
  tools?: readonly string[];
  readOnly?: boolean;
}

/**
 * A request's view of a selection: it may remove tools, actions or every write, never add one. Unknown
 * names are a ValidationError (a typo should not silently hide everything).
 */
export function narrowTools(selection: readonly ExposedTool[], narrowing: Narrowing): ExposedTool[] {
  let keepTools: Set<ToolName> | undefined;
  let keepActions: Map<ToolName, Set<string>> | undefined;
  if (narrowing.tools) {
    keepTools = new Set();
    keepActions = new Map();
    for (const item of narrowing.tools) {
      const [tool, action] = item.split('.');
      const name = toolName(tool ?? '');
      if (action === undefined) keepTools.add(name);
      else keepActions.set(name, (keepActions.get(name) ?? new Set()).add(action));
    }
  }
  const out: ExposedTool[] = [];
  for (const t of selection) {
    const whole = !keepTools || keepTools.has(t.spec.name);
    const some = keepActions?.get(t.spec.name);
    if (!whole && !some) continue;
    const hidden: Record<string, string> = { ...t.hidden };
    const actions = t.actions.filter((name) => {
      if (!whole && !some?.has(name)) {
        hidden[name] = 'this request narrowed the tools (X-MCP-Tools)';
        return false;
      }
      if (narrowing.readOnly && t.spec.actions[name]!.effect !== 'read') {
        hidden[name] = 'this request is read-only (X-MCP-Readonly)';
        return false;
      }
      return true;
    });
    if (actions.length) out.push({ spec: t.spec, actions, hidden });
  }
  return out;
}
