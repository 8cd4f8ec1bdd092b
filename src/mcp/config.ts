/**
 * `dockerhub-mcp`'s configuration: flags first, then the environment, then defaults. Every value is
 * checked here, so a bad one is one clear line on stderr and a non-zero exit before anything starts.
 * Docker Hub credentials are never flags: they come from the environment or the Docker login (`--config`
 * names the Docker config directory, as `docker --config` does).
 */
import { Command, Option } from 'commander';
import { ValidationError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { McpClientsOptions } from './clients.js';
import type { ConfirmMode } from './confirm.js';
import {
  DEFAULT_BODY_BYTES,
  type HttpConfig,
  type HttpFlags,
  isLoopbackBind,
  readHttpConfig,
} from './http/settings.js';
import { integerArg, parseProgramArgs } from './program-args.js';
import { DEFAULT_LIMITS, type ResultLimits } from './result.js';
import { envFlag, splitList, type ToolFilter } from './selection.js';

export type { HttpConfig, OAuthConfig } from './http/settings.js';
export { isLoopbackBind };

export type TransportKind = 'stdio' | 'http';

export interface McpServerConfig {
  transport: TransportKind;
  host: string;
  port: number;
  filter: ToolFilter;
  dynamicTools: boolean;
  confirm: ConfirmMode;
  limits: ResultLimits;
  /** Serve against a local emulator started in-process, with seeded demo data. */
  emulator: boolean;
  clients: McpClientsOptions;
  http: HttpConfig;
}

const DEFAULT_PORT = 8080;
const integer = integerArg;

function choice<T extends string>(
  name: string,
  raw: string | undefined,
  values: readonly T[],
  fallback: T,
): T {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim().toLowerCase() as T;
  if (!values.includes(v))
    throw new ValidationError(`${name} must be one of ${values.join(', ')}, not "${raw}"`);
  return v;
}

function url(name: string, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    return u.toString();
  } catch {
    throw new ValidationError(`${name} must be an http(s) URL, not "${raw}"`);
  }
}

interface Flags extends HttpFlags {
  transport?: string;
  host?: string;
  port?: string;
  tools?: string;
  excludeTools?: string;
  readOnly?: boolean;
  dynamicTools?: boolean;
  allowDestructive?: boolean;
  confirm?: string;
  emulator?: boolean;
  config?: string;
  hubUrl?: string;
  scoutUrl?: string;
  insecureRegistry?: string[];
  maxResultBytes?: string;
  timeout?: string;
  maxBodyBytes?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const HELP_FOOTER = `
Docker Hub credentials come from the environment (DOCKER_HUB_USER + DOCKER_HUB_TOKEN, or DOCKERHUB_JWT)
or your Docker login (docker login; --config DIR for another Docker config directory), never from flags
or tool arguments.

Environment:
  TRANSPORT, HOST, PORT            as --transport, --host, --port
  AUTHTOOL REPOSTOOL ORGTOOL TEAMSTOOL AUDITTOOL SCIMTOOL ADMINTOOL REGISTRYTOOL SCOUTTOOL
                                   =false turns that tool off (default on)
  DOCKERHUB_MCP_TOOLS, DOCKERHUB_MCP_EXCLUDE_TOOLS   as --tools, --exclude-tools
  DOCKERHUB_MCP_READ_ONLY=true     as --read-only
  DOCKERHUB_MCP_DYNAMIC_TOOLS=true as --dynamic-tools
  DOCKERHUB_ALLOW_DESTRUCTIVE=true expose deletes, registry writes and org-settings writes
  DOCKERHUB_MCP_CONFIRM            as --confirm
  DOCKERHUB_SCIM_TOKEN             the SCIM bearer token (hub_scim)
  DOCKERHUB_SCOUT_ORG              the organization hub_scout reads when a call names none
  MCP_AUTH_TOKEN                   bearer token HTTP clients must send (16+ characters)
  MCP_OAUTH_JWKS_URL, MCP_OAUTH_ISSUER, MCP_OAUTH_AUDIENCE, MCP_OAUTH_SCOPES   as the --oauth-* flags
  MCP_ALLOWED_HOSTS, MCP_ALLOWED_ORIGINS, MCP_MAX_BODY_BYTES, MCP_RESOURCE_URL   as those flags
  DOCKERHUB_LOG_LEVEL              logs on stderr (trace … error; default silent)

Examples:
  dockerhub-mcp --emulator                      try it: a local Docker Hub with demo data, no account
  dockerhub-mcp --read-only --tools repos,scout
  MCP_AUTH_TOKEN=… dockerhub-mcp --transport http --port 8080
`;

function program(): Command {
  return new Command('dockerhub-mcp')
    .description('MCP server for Docker Hub and OCI registries (stdio by default, or streamable HTTP)')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--transport <kind>', 'stdio or http (default stdio; env TRANSPORT)'))
    .option('--host <host>', 'HTTP bind address (default 127.0.0.1; env HOST)')
    .option('--port <n>', `HTTP port (default ${DEFAULT_PORT}; 0 for any free port; env PORT)`)
    .option('--tools <list>', 'only these tools, comma-separated (hub_repos or repos, …)')
    .option(
      '--exclude-tools <list>',
      'leave out these tools or single actions (hub_repos.delete), comma-separated',
    )
    .option('--read-only', 'remove every action that changes anything (wins over everything else)')
    .option('--dynamic-tools', 'start with one discovery tool that enables tool groups on request (stdio)')
    .option('--allow-destructive', 'expose destructive actions (as DOCKERHUB_ALLOW_DESTRUCTIVE=true)')
    .option(
      '--confirm <mode>',
      "destructive calls: 'auto' asks the user when the client can, 'always' refuses otherwise",
    )
    .option('--emulator', 'serve against a local Docker Hub emulator with demo data (no account, no network)')
    .option('--config <dir>', 'Docker config directory to read the Docker Hub login from (default ~/.docker)')
    .option('--hub-url <url>', 'Docker Hub API URL (env DOCKERHUB_API_URL)')
    .option('--scout-url <url>', 'Docker Scout API URL (env DOCKERHUB_SCOUT_URL)')
    .option('--insecure-registry <host>', 'reach this registry over plain HTTP (repeatable)', collect)
    .option('--timeout <seconds>', 'idle timeout per request to Docker Hub or a registry')
    .option('--max-result-bytes <n>', `largest tool result in bytes (default ${DEFAULT_LIMITS.maxBytes})`)
    .option('--allow-unauthenticated', 'HTTP: serve without authentication (refused otherwise)')
    .option(
      '--allowed-hosts <list>',
      'HTTP: Host names clients use, comma-separated; * for any (default: loopback names)',
    )
    .option(
      '--allowed-origins <list>',
      'HTTP: origins (hostnames) whose web pages may call the server (default: the allowed hosts)',
    )
    .option('--max-body-bytes <n>', `HTTP: largest request body (default ${DEFAULT_BODY_BYTES})`)
    .option('--resource-url <url>', 'HTTP: public URL of this server (OAuth protected-resource metadata)')
    .option(
      '--oauth-jwks-url <url>',
      'HTTP: verify bearer JWTs with the keys at this URL (OAuth 2.1 resource server)',
    )
    .option('--oauth-issuer <iss>', 'HTTP: required JWT issuer')
    .option('--oauth-audience <aud>', 'HTTP: required JWT audience')
    .option('--oauth-scopes <list>', 'HTTP: scopes every token must hold, comma-separated')
    .addHelpText('after', HELP_FOOTER)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
}

/**
 * Reads the configuration. `--help` and `--version` surface as CommanderError (exit code 0) after
 * commander printed them; every other problem is a ValidationError with a one-line message.
 */
export function readConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
): McpServerConfig {
  const f = parseProgramArgs<Flags>(program(), argv, out);
  const transport = choice('--transport', f.transport ?? env.TRANSPORT, ['stdio', 'http'] as const, 'stdio');
  const host = (f.host ?? env.HOST ?? '127.0.0.1').trim();
  const port = integer('--port', f.port ?? env.PORT, 0, 65535) ?? DEFAULT_PORT;
  const readOnly = f.readOnly === true || envFlag(env, 'DOCKERHUB_MCP_READ_ONLY', false);
  const allowDestructive = f.allowDestructive === true || envFlag(env, 'DOCKERHUB_ALLOW_DESTRUCTIVE', false);
  const dynamicTools = f.dynamicTools === true || envFlag(env, 'DOCKERHUB_MCP_DYNAMIC_TOOLS', false);
  if (dynamicTools && transport === 'http')
    throw new ValidationError(
      '--dynamic-tools needs a session and works over stdio; over HTTP choose tools per request with the X-MCP-Tools header',
    );
  const maxBytes = integer(
    '--max-result-bytes',
    f.maxResultBytes ?? env.DOCKERHUB_MCP_MAX_RESULT_BYTES,
    1024,
    10_000_000,
  );
  const timeoutSeconds = integer('--timeout', f.timeout, 1, 3600);
  const http = readHttpConfig(f, env, {
    transport,
    host,
    maxBodyBytes: integer(
      '--max-body-bytes',
      f.maxBodyBytes ?? env.MCP_MAX_BODY_BYTES,
      1024,
      1024 * 1024 * 1024,
    ),
  });
  return {
    transport,
    host,
    port,
    filter: {
      tools: splitList(f.tools ?? env.DOCKERHUB_MCP_TOOLS),
      excludeTools: splitList(f.excludeTools ?? env.DOCKERHUB_MCP_EXCLUDE_TOOLS),
      readOnly,
      allowDestructive,
      env,
    },
    dynamicTools,
    confirm: choice('--confirm', f.confirm ?? env.DOCKERHUB_MCP_CONFIRM, ['auto', 'always'] as const, 'auto'),
    limits: { ...DEFAULT_LIMITS, ...(maxBytes ? { maxBytes } : {}) },
    emulator: f.emulator === true,
    clients: {
      hubUrl: url('--hub-url', f.hubUrl ?? env.DOCKERHUB_API_URL),
      scoutUrl: url('--scout-url', f.scoutUrl ?? env.DOCKERHUB_SCOUT_URL),
      insecureRegistries: f.insecureRegistry ?? splitList(env.DOCKERHUB_INSECURE_REGISTRIES),
      allowDestructive,
      timeoutMs: timeoutSeconds ? timeoutSeconds * 1000 : undefined,
      credentials: f.config ? { dockerConfigDir: f.config } : undefined,
    },
    http,
  };
}
