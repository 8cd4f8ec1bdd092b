/**
 * dockerhub-mcp's configuration: flags over environment over defaults, and every bad value a one-line
 * error before anything starts.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/mcp/config.js';
import { runMcpServer } from '../../src/mcp/run.js';

const read = (argv: string[], env: Record<string, string> = {}) => readConfig(argv, env, () => {});

describe('readConfig', () => {
  it('defaults to stdio, loopback, every tool, no destructive actions, confirmation when possible', () => {
    const c = read([]);
    expect(c).toMatchObject({
      transport: 'stdio',
      host: '127.0.0.1',
      port: 8080,
      dynamicTools: false,
      confirm: 'auto',
      emulator: false,
      filter: { tools: [], excludeTools: [], readOnly: false, allowDestructive: false },
    });
    expect(c.http.allowedHosts).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(c.http.authToken).toBeUndefined();
  });

  it('takes the environment, and flags over it', () => {
    const env = {
      TRANSPORT: 'http',
      HOST: '0.0.0.0',
      PORT: '9000',
      DOCKERHUB_MCP_READ_ONLY: 'true',
      DOCKERHUB_ALLOW_DESTRUCTIVE: 'true',
      DOCKERHUB_MCP_TOOLS: 'repos,scout',
      MCP_AUTH_TOKEN: 'a-long-enough-token-value',
      MCP_ALLOWED_HOSTS: 'mcp.example.com',
    };
    const c = read(['--port', '9100', '--exclude-tools', 'hub_scout'], env);
    expect(c).toMatchObject({ transport: 'http', host: '0.0.0.0', port: 9100 });
    expect(c.filter).toMatchObject({
      readOnly: true,
      allowDestructive: true,
      tools: ['repos', 'scout'],
      excludeTools: ['hub_scout'],
    });
    expect(String(c.http.authToken)).toBe('[REDACTED]');
    expect(c.http.authToken?.reveal()).toBe('a-long-enough-token-value');
    // Bound to every interface, the Host names clients use must be given (no request says Host: 0.0.0.0).
    expect(c.http.allowedHosts).toEqual(['mcp.example.com']);
  });

  it.each([
    [['--transport', 'sse'], {}, '--transport must be one of stdio, http, not "sse"'],
    [['--port', '70000'], {}, '--port must be from 0 to 65535, not 70000'],
    [['--port', 'eighty'], {}, '--port must be an integer, not "eighty"'],
    [[], { PORT: '-1' }, '--port must be an integer, not "-1"'],
    [['--transport', 'http', '--dynamic-tools'], {}, '--dynamic-tools needs a session and works over stdio'],
    [
      ['--oauth-issuer', 'https://id.example'],
      {},
      'OAuth needs all three of --oauth-jwks-url, --oauth-issuer and --oauth-audience',
    ],
    [['--oauth-jwks-url', 'ftp://x'], {}, '--oauth-jwks-url must be an http(s) URL, not "ftp://x"'],
    [[], { MCP_AUTH_TOKEN: 'short' }, 'MCP_AUTH_TOKEN must be at least 16 characters'],
    [
      [],
      { DOCKERHUB_MCP_READ_ONLY: 'sometimes' },
      'DOCKERHUB_MCP_READ_ONLY must be true or false, not "sometimes"',
    ],
    [['--confirm', 'never'], {}, '--confirm must be one of auto, always, not "never"'],
    [['--bogus'], {}, "unknown option '--bogus'"],
  ])('refuses %j %j: %s', (argv, env, message) => {
    expect(() => read(argv as string[], env as Record<string, string>)).toThrow(message);
  });
});

describe('runMcpServer start-up errors', () => {
  it('prints one line on stderr and exits 2, before serving anything', async () => {
    let stderr = '';
    let stdout = '';
    const io = {
      stderr: (t: string) => {
        stderr += t;
      },
      stdout: (t: string) => {
        stdout += t;
      },
    };
    expect(await runMcpServer(['--tools', 'hub_nope'], {}, io)).toBe(2);
    expect(stderr).toMatch(/^dockerhub-mcp: unknown tool "hub_nope"; tools: hub_auth, .*\n$/);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stdout).toBe('');
    stderr = '';
    expect(
      await runMcpServer(
        ['--exclude-tools', 'hub_repos'],
        {
          AUTHTOOL: 'false',
          ORGTOOL: 'false',
          TEAMSTOOL: 'false',
          AUDITTOOL: 'false',
          SCIMTOOL: 'false',
          ADMINTOOL: 'false',
          REGISTRYTOOL: 'false',
          SCOUTTOOL: 'false',
        },
        io,
      ),
    ).toBe(2);
    expect(stderr).toMatch(/no tool is left to serve/);
  });

  it('prints --help and --version on stdout and exits 0', async () => {
    let stdout = '';
    const io = {
      stderr: () => {},
      stdout: (t: string) => {
        stdout += t;
      },
    };
    expect(await runMcpServer(['--version'], {}, io)).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    stdout = '';
    expect(await runMcpServer(['--help'], {}, io)).toBe(0);
    expect(stdout).toMatch(/--read-only/);
    expect(stdout).toMatch(/DOCKERHUB_ALLOW_DESTRUCTIVE=true/);
  });
});
