/**
 * The one-way dependency rule of docs/architecture.md, checked on the sources: front ends (cli) → SDK
 * (hub, registry, scout, webhooks, reference) → core. The emulator may use the SDK and core, never the CLI;
 * no SDK module may import the emulator or a front end; core imports nothing of ours outside core; the agent
 * imports only the MCP server and core (it reaches Docker Hub through the tools alone).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  reference: ['reference', 'core'],
  registry: ['registry', 'reference', 'core'],
  hub: ['hub', 'core'],
  scout: ['scout', 'hub', 'registry', 'reference', 'core'],
  webhooks: ['webhooks', 'core'],
  emulator: ['emulator', 'webhooks', 'registry', 'reference', 'hub', 'scout', 'core'],
  cli: ['cli', 'emulator', 'webhooks', 'registry', 'reference', 'hub', 'scout', 'core'],
  // The agent reaches Docker Hub only through the MCP server's tools: never the SDK around it.
  agent: ['agent', 'mcp', 'core'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The top-level area (`core`, `hub`, …) a relative import from `file` lands in. */
function areaOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(SRC, resolve(dirname(file), specifier));
  return target.startsWith('..') ? '(outside src)' : target.split('/')[0];
}

describe('dependency direction', () => {
  it('every import points down the layers', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const area = relative(SRC, file).split('/')[0] as string;
      const allowed = ALLOWED[area];
      if (!allowed) continue; // src/index.ts re-exports the SDK
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        const target = areaOf(file, m[1] as string);
        if (target && !allowed.includes(target))
          violations.push(`${relative(SRC, file)} imports ${m[1]} (${target})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
