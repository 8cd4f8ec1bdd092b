/**
 * The HTTP transport's settings, read with the rest of the configuration (config.ts) and checked there, so
 * a server that would be open by accident never starts: authentication is required unless
 * `--allow-unauthenticated`; Host and Origin allow-lists have safe defaults; OAuth needs its issuer, JWKS
 * URL and audience, over https unless they are on this machine.
 */
import { ValidationError } from '../../core/errors.js';
import { Secret } from '../../core/secret.js';
import { splitList } from '../selection.js';

export interface OAuthConfig {
  /** Where the authorization server publishes its signing keys. */
  jwksUrl: string;
  /** The `iss` tokens must carry (the authorization server). */
  issuer: string;
  /** The `aud` tokens must carry (this server, as the authorization server names it). */
  audience: string;
  /** Scopes every token must hold (also advertised in the protected-resource metadata). */
  requiredScopes: string[];
}

export interface HttpConfig {
  /** Serve without authentication (only with this flag; a warning says so). */
  allowUnauthenticated: boolean;
  /** `MCP_AUTH_TOKEN`: the bearer token clients must send (compared in constant time). */
  authToken?: Secret;
  oauth?: OAuthConfig;
  /** This server's public URL (for RFC 9728 metadata); default http://HOST:PORT/mcp. */
  resourceUrl?: string;
  /**
   * Host header names accepted (port-agnostic); `*` accepts any. Default: the loopback names when bound
   * to loopback, else the bind address; the resource URL's host always.
   */
  allowedHosts: string[];
  /**
   * Origin hostnames whose pages may call the server (requests without Origin always pass). Default: the
   * allowed Host names (a page from the server's own names), never any other site.
   */
  allowedOrigins: string[];
  /** Largest request body, in bytes (413 beyond, before anything is parsed). */
  maxBodyBytes: number;
}

export interface HttpFlags {
  allowUnauthenticated?: boolean;
  allowedHosts?: string;
  allowedOrigins?: string;
  resourceUrl?: string;
  oauthJwksUrl?: string;
  oauthIssuer?: string;
  oauthAudience?: string;
  oauthScopes?: string;
}

export const DEFAULT_BODY_BYTES = 4 * 1024 * 1024;
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const MIN_TOKEN_LENGTH = 16;

export function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** 0.0.0.0 and :: listen on every interface: no Host value can be derived from them. */
export function isWildcardBind(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** A bind address as it appears in a Host header or URL (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function isLoopbackUrl(u: URL): boolean {
  return isLoopbackBind(u.hostname);
}

function httpUrl(name: string, raw: string | undefined, opts: { secure?: boolean } = {}): URL | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ValidationError(`${name} must be an http(s) URL, not "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ValidationError(`${name} must be an http(s) URL, not "${raw}"`);
  if (opts.secure && u.protocol !== 'https:' && !isLoopbackUrl(u))
    throw new ValidationError(`${name} must use https (plain http only on this machine), not "${raw}"`);
  return u;
}

/** `https://app.example.com:8443` or `app.example.com` → `app.example.com` (the SDK's checks are port-agnostic). */
function originHostname(entry: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\/\*$/.test(entry)) return entry; // `moz-extension://*`: every origin of a scheme
  if (!entry.includes('://')) return entry.toLowerCase();
  try {
    const u = new URL(entry);
    if (u.hostname) return u.hostname.toLowerCase();
  } catch {
    // reported below
  }
  throw new ValidationError(`--allowed-origins: "${entry}" is neither a hostname nor an origin URL`);
}

function readOAuth(f: HttpFlags, env: NodeJS.ProcessEnv): OAuthConfig | undefined {
  const jwks = httpUrl('--oauth-jwks-url', f.oauthJwksUrl ?? env.MCP_OAUTH_JWKS_URL, { secure: true });
  const issuer = (f.oauthIssuer ?? env.MCP_OAUTH_ISSUER)?.trim() || undefined;
  const audience = (f.oauthAudience ?? env.MCP_OAUTH_AUDIENCE)?.trim() || undefined;
  const scopes = splitList((f.oauthScopes ?? env.MCP_OAUTH_SCOPES)?.replace(/\s+/g, ','));
  if (!jwks && !issuer && !audience) {
    if (scopes.length) throw new ValidationError('--oauth-scopes needs the other --oauth-* flags');
    return undefined;
  }
  if (!jwks || !issuer || !audience)
    throw new ValidationError(
      'OAuth needs all three of --oauth-jwks-url, --oauth-issuer and --oauth-audience',
    );
  // Clients find the authorization server from the issuer (RFC 9728 `authorization_servers`).
  httpUrl('--oauth-issuer', issuer, { secure: true });
  return { jwksUrl: jwks.toString(), issuer, audience, requiredScopes: scopes };
}

/** Reads and checks the HTTP settings; only an HTTP server must have authentication. */
export function readHttpConfig(
  f: HttpFlags,
  env: NodeJS.ProcessEnv,
  server: { transport: 'stdio' | 'http'; host: string; maxBodyBytes?: number },
): HttpConfig {
  const oauth = readOAuth(f, env);
  const token = env.MCP_AUTH_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH)
    throw new ValidationError(`MCP_AUTH_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters`);
  const allowUnauthenticated = f.allowUnauthenticated === true;
  const resource = httpUrl('--resource-url', f.resourceUrl ?? env.MCP_RESOURCE_URL);
  const { host } = server;
  const wildcard = isWildcardBind(host);

  if (server.transport === 'http') {
    if (token && oauth)
      throw new ValidationError(
        'choose one way to authenticate HTTP clients: MCP_AUTH_TOKEN or the --oauth-* flags, not both',
      );
    if (allowUnauthenticated && (token || oauth))
      throw new ValidationError(
        `--allow-unauthenticated contradicts ${token ? 'MCP_AUTH_TOKEN' : 'the --oauth-* flags'}: drop one`,
      );
    if (!token && !oauth && !allowUnauthenticated)
      throw new ValidationError(
        'the HTTP transport needs authentication: set MCP_AUTH_TOKEN (16+ characters), or the --oauth-* flags, or pass --allow-unauthenticated',
      );
    if (oauth && wildcard && !resource)
      throw new ValidationError(
        `OAuth behind --host ${host} needs --resource-url (the public URL clients use, e.g. https://mcp.example.com/mcp)`,
      );
  }

  const hostsGiven = splitList(f.allowedHosts ?? env.MCP_ALLOWED_HOSTS).map((h) => h.toLowerCase());
  let allowedHosts: string[];
  if (hostsGiven.length) allowedHosts = hostsGiven;
  else if (isLoopbackBind(host)) allowedHosts = [...LOOPBACK_HOSTS];
  else if (wildcard) {
    if (server.transport === 'http' && !resource)
      throw new ValidationError(
        `--host ${host} listens on every interface: name the Host values clients use with --allowed-hosts (e.g. mcp.example.com, or * for any)`,
      );
    allowedHosts = [];
  } else allowedHosts = [hostForUrl(host).toLowerCase()];
  if (resource && !allowedHosts.includes('*')) allowedHosts.push(hostForUrl(resource.hostname));
  allowedHosts = [...new Set(allowedHosts)];

  const originsGiven = splitList(f.allowedOrigins ?? env.MCP_ALLOWED_ORIGINS).map(originHostname);
  // Pages served from the names the server answers to may call it; no other site's page may.
  const allowedOrigins = originsGiven.length ? originsGiven : allowedHosts.filter((h) => h !== '*');

  return {
    allowUnauthenticated,
    authToken: token ? new Secret(token) : undefined,
    oauth,
    resourceUrl: resource?.toString(),
    allowedHosts,
    allowedOrigins: [...new Set(allowedOrigins)],
    maxBodyBytes: server.maxBodyBytes ?? DEFAULT_BODY_BYTES,
  };
}
