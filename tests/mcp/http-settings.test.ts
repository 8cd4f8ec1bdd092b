/**
 * The HTTP transport's configuration as `readConfig` computes it: fail-closed (authentication required,
 * one way at a time, OAuth over https), and allow-lists whose defaults let the right clients in and keep
 * browsers on other sites out, wherever the server binds.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/mcp/config.js';

const TOKEN = 'settings-token-0123456789';
const http = (argv: string[] = [], env: Record<string, string> = { MCP_AUTH_TOKEN: TOKEN }) =>
  readConfig(['--transport', 'http', ...argv], env).http;
const OAUTH = [
  '--oauth-jwks-url',
  'https://login.example.com/jwks',
  '--oauth-issuer',
  'https://login.example.com',
  '--oauth-audience',
  'dockerhub-mcp',
];

describe('HTTP authentication settings', () => {
  it('refuses to serve HTTP without a way to authenticate, unless told to', () => {
    expect(() => http([], {})).toThrow(
      'the HTTP transport needs authentication: set MCP_AUTH_TOKEN (16+ characters), or the --oauth-* flags, or pass --allow-unauthenticated',
    );
    expect(http(['--allow-unauthenticated'], {})).toMatchObject({ allowUnauthenticated: true });
    // stdio needs none of it.
    expect(readConfig([], {}).transport).toBe('stdio');
  });

  it('keeps the token as a Secret', () => {
    const { authToken } = http();
    expect(authToken?.reveal()).toBe(TOKEN);
    expect(JSON.stringify({ authToken })).not.toContain(TOKEN);
  });

  it.each([
    [[], { MCP_AUTH_TOKEN: 'too-short' }, 'MCP_AUTH_TOKEN must be at least 16 characters'],
    [OAUTH, { MCP_AUTH_TOKEN: TOKEN }, 'choose one way to authenticate HTTP clients'],
    [
      ['--allow-unauthenticated'],
      { MCP_AUTH_TOKEN: TOKEN },
      '--allow-unauthenticated contradicts MCP_AUTH_TOKEN',
    ],
    [['--allow-unauthenticated', ...OAUTH], {}, '--allow-unauthenticated contradicts the --oauth-* flags'],
    [OAUTH.slice(0, 4), {}, 'OAuth needs all three of --oauth-jwks-url, --oauth-issuer and --oauth-audience'],
    [['--oauth-scopes', 'mcp'], { MCP_AUTH_TOKEN: TOKEN }, '--oauth-scopes needs the other --oauth-* flags'],
    [
      ['--oauth-jwks-url', 'http://login.example.com/jwks', ...OAUTH.slice(2)],
      {},
      '--oauth-jwks-url must use https (plain http only on this machine)',
    ],
    [
      [...OAUTH.slice(0, 2), '--oauth-issuer', 'login.example.com', ...OAUTH.slice(4)],
      {},
      '--oauth-issuer must be an http(s) URL, not "login.example.com"',
    ],
  ])('%j %j: %s', (argv, env, message) => {
    expect(() => http(argv, env)).toThrow(message);
  });

  it('reads OAuth from flags or the environment, scopes as a list', () => {
    expect(http([...OAUTH, '--oauth-scopes', 'mcp:tools, mcp:read'], {}).oauth).toEqual({
      jwksUrl: 'https://login.example.com/jwks',
      issuer: 'https://login.example.com',
      audience: 'dockerhub-mcp',
      requiredScopes: ['mcp:tools', 'mcp:read'],
    });
    const fromEnv = http([], {
      MCP_OAUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
      MCP_OAUTH_ISSUER: 'http://127.0.0.1:9',
      MCP_OAUTH_AUDIENCE: 'aud',
      MCP_OAUTH_SCOPES: 'a b',
    }).oauth;
    expect(fromEnv).toMatchObject({ jwksUrl: 'http://127.0.0.1:9/jwks', requiredScopes: ['a', 'b'] });
  });
});

describe('Host and Origin allow-lists', () => {
  it('on loopback: the loopback names, for Host and Origin', () => {
    const { allowedHosts, allowedOrigins } = http();
    expect(allowedHosts).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(allowedOrigins).toEqual(['127.0.0.1', 'localhost', '[::1]']);
  });

  it('on one address: that address (IPv6 in brackets) and the public URL name', () => {
    expect(http(['--host', '10.1.2.3']).allowedHosts).toEqual(['10.1.2.3']);
    expect(http(['--host', 'fd00::5']).allowedHosts).toEqual(['[fd00::5]']);
    expect(http(['--host', '10.1.2.3', '--resource-url', 'https://mcp.example.com/mcp'])).toMatchObject({
      allowedHosts: ['10.1.2.3', 'mcp.example.com'],
      allowedOrigins: ['10.1.2.3', 'mcp.example.com'],
    });
  });

  it('on every interface: refuses to guess, takes the names clients use, or * for any', () => {
    expect(() => http(['--host', '0.0.0.0'])).toThrow(
      '--host 0.0.0.0 listens on every interface: name the Host values clients use with --allowed-hosts',
    );
    expect(() => http(['--host', '::'])).toThrow('--host :: listens on every interface');
    expect(http(['--host', '0.0.0.0', '--allowed-hosts', 'MCP.example.com,mcp.internal'])).toMatchObject({
      allowedHosts: ['mcp.example.com', 'mcp.internal'],
      allowedOrigins: ['mcp.example.com', 'mcp.internal'],
    });
    expect(http(['--host', '0.0.0.0', '--resource-url', 'https://mcp.example.com/mcp']).allowedHosts).toEqual(
      ['mcp.example.com'],
    );
    // Any Host, but still no other site's pages.
    expect(http(['--host', '0.0.0.0', '--allowed-hosts', '*'])).toMatchObject({
      allowedHosts: ['*'],
      allowedOrigins: [],
    });
    expect(() => http(['--host', '0.0.0.0', '--allowed-hosts', '*', ...OAUTH], {})).toThrow(
      'OAuth behind --host 0.0.0.0 needs --resource-url',
    );
  });

  it('takes origins as hostnames or origin URLs (the check is by hostname), and scheme wildcards', () => {
    expect(
      http(['--allowed-origins', 'https://App.example.com:8443,tools.example.com,moz-extension://*'])
        .allowedOrigins,
    ).toEqual(['app.example.com', 'tools.example.com', 'moz-extension://*']);
    expect(() => http(['--allowed-origins', 'https://'])).toThrow('--allowed-origins: "https://"');
  });

  it('limits bodies to 4 MiB unless told, within sane bounds', () => {
    expect(http().maxBodyBytes).toBe(4 * 1024 * 1024);
    expect(http(['--max-body-bytes', '65536']).maxBodyBytes).toBe(65536);
    expect(() => http(['--max-body-bytes', '10'])).toThrow('--max-body-bytes must be from 1024');
  });
});
