/**
 * examples/mcp_config.json is what users paste into their assistant: every stdio entry must run the
 * package's dockerhub-mcp with flags the server accepts, and the HTTP entry must point at the endpoint
 * the server serves by default, with the bearer header it checks.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/mcp/config.js';

interface Entry {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  type?: string;
  url?: string;
  headers?: Record<string, string>;
}

const file = resolve(import.meta.dirname, '..', '..', 'examples', 'mcp_config.json');
const { mcpServers } = JSON.parse(readFileSync(file, 'utf8')) as { mcpServers: Record<string, Entry> };
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
};

describe('examples/mcp_config.json', () => {
  const stdio = Object.entries(mcpServers).filter(([, e]) => e.command);
  const http = Object.entries(mcpServers).filter(([, e]) => e.url);

  it('has the emulator, a stdio and an HTTP variant', () => {
    expect(stdio.some(([, e]) => e.args?.includes('--emulator'))).toBe(true);
    expect(stdio.some(([, e]) => e.env?.DOCKER_HUB_TOKEN)).toBe(true);
    expect(http).toHaveLength(1);
  });

  it.each(stdio)('%s runs this package’s dockerhub-mcp through npx with accepted flags', (_name, entry) => {
    expect(entry.command).toBe('npx');
    const args = entry.args ?? [];
    expect(args.slice(0, 3)).toEqual(['-y', `--package=${pkg.name}`, 'dockerhub-mcp']);
    expect(pkg.bin['dockerhub-mcp']).toBeDefined();
    const config = readConfig(args.slice(3), {});
    expect(config.transport).toBe('stdio');
  });

  it('the HTTP entry names the default endpoint and sends the bearer token header', () => {
    const [, entry] = http[0]!;
    const config = readConfig(['--transport', 'http'], { MCP_AUTH_TOKEN: 'x'.repeat(32) });
    expect(entry.type).toBe('http');
    expect(entry.url).toBe(`http://${config.host}:${config.port}/mcp`);
    // The client expands the variable when it connects; the file holds no token.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder, as in the file
    expect(entry.headers?.Authorization).toBe('Bearer ${MCP_AUTH_TOKEN}');
    expect(entry.headers?.['X-MCP-Readonly']).toBe('true');
  });
});
