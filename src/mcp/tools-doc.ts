/**
 * docs/mcp-tools.md, written from the tool registry itself (`npm run docs:mcp-tools`), so the reference
 * can never drift from what the server serves; a test fails when the file is stale.
 */
import type { AnyAction, ToolSpec } from './action.js';

const EFFECT: Record<AnyAction['effect'], string> = {
  read: 'read',
  write: 'write',
  destructive: '**destructive**',
};

function paramsOf(a: AnyAction): string {
  const req = (a.required ?? []).map((p) => `\`${p}\``);
  const opt = (a.optional ?? []).map((p) => `\`${p}\`?`);
  return [...req, ...opt].join(', ') || '—';
}

export function renderToolsDoc(tools: readonly ToolSpec[]): string {
  const out: string[] = [
    '# MCP tools reference',
    '',
    '<!-- Generated from src/mcp/tools/ by `npm run docs:mcp-tools`; do not edit by hand. -->',
    '',
    "Each tool takes an `action` and that action's parameters (`?` = optional). **destructive** actions are",
    'hidden unless the server runs with `DOCKERHUB_ALLOW_DESTRUCTIVE=true`, and then ask the user to confirm',
    'each call; read-only mode (`--read-only`) leaves only the read actions. See docs/mcp.md.',
    '',
  ];
  for (const tool of tools) {
    out.push(`## \`${tool.name}\` — ${tool.title}`, '', tool.description, '');
    out.push(`Turned off with \`${tool.toggle}=false\`.`, '');
    out.push('| action | effect | parameters | what it does |', '|---|---|---|---|');
    for (const [name, a] of Object.entries(tool.actions)) {
      out.push(
        `| \`${name}\` | ${EFFECT[a.effect]} | ${paramsOf(a)} | ${a.description.replace(/\|/g, '\\|')} |`,
      );
    }
    out.push('', '| parameter | meaning |', '|---|---|');
    for (const [name, p] of Object.entries(tool.params)) {
      out.push(
        `| \`${name}\` | ${p.description.replace(/\|/g, '\\|')}${p.secret ? ' (secret: never echoed or logged)' : ''} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
