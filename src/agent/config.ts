/**
 * `dockerhub-agent`'s configuration: flags first, then the environment, then defaults. Every value is
 * checked here, so a bad one is one clear line on stderr and a non-zero exit before anything starts.
 * Secrets (the model's API key, the MCP server's token, the agent's own token, Docker Hub credentials)
 * come from the environment or a file, never from a flag value that `ps` would show.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ValidationError } from '../core/errors.js';
import { Secret } from '../core/secret.js';
import { VERSION } from '../core/version.js';
import type { McpClientsOptions } from '../mcp/clients.js';
import { integerArg, parseProgramArgs } from '../mcp/program-args.js';
import { envFlag, splitList, type ToolFilter } from '../mcp/selection.js';

export const PROVIDERS = ['openai-compatible', 'openai', 'anthropic'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface ModelConfig {
  provider: ProviderName;
  /** The API's base URL (openai-compatible: required; default Ollama's). */
  baseUrl: string;
  model: string;
  apiKey?: Secret;
  /** Longest wait for the model's first byte, and between two streamed chunks. */
  timeoutMs: number;
  /** Retries of a failed model call (429, 5xx, connection errors), with the SDK's backoff. */
  maxRetries: number;
  /** Check at start-up that the model server answers and serves the model. */
  check: boolean;
}

export interface McpSourceConfig {
  /** A remote dockerhub-mcp (streamable HTTP); absent: the server in process. */
  url?: string;
  token?: Secret;
  /** In process: which tools, read-only, destructive gate (as dockerhub-mcp takes them). */
  filter: ToolFilter;
  /** In process: the SDK clients' options (Docker Hub URL, credentials from the environment…). */
  clients: McpClientsOptions;
  /** In process: a local Docker Hub emulator with demo data instead of Docker Hub. */
  emulator: boolean;
}

export interface AgentConfig {
  host: string;
  port: number;
  /** The URL clients reach the agent at (the card's interfaces); default the address it listens on. */
  publicUrl?: string;
  authToken?: Secret;
  /** Origins (besides the agent's own) whose pages may call the API from a browser. */
  allowedOrigins: string[];
  model: ModelConfig;
  mcp: McpSourceConfig;
  /** Model steps (calls) per request. */
  maxSteps: number;
  /** How long a destructive call waits for a person's approval. */
  approvalTimeoutMs: number;
  /** Longest tool call (reset by progress reports). */
  toolTimeoutMs: number;
  /** Tasks kept in memory, and for how long after their last change. */
  maxTasks: number;
  taskTtlMs: number;
}

export const DEFAULT_PORT = 8090;
const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434/v1';

export const HELP_FOOTER = `
The model (flags override the environment):
  LLM_PROVIDER    openai-compatible (Ollama, vLLM, LM Studio, llama.cpp; default), openai or anthropic
  LLM_BASE_URL    the API's base URL (default ${DEFAULT_OLLAMA_URL} for openai-compatible)
  LLM_MODEL       the model's name (required), e.g. qwen2.5:7b-instruct
  LLM_API_KEY     the API key (or OPENAI_API_KEY / ANTHROPIC_API_KEY); never a flag
  LLM_TIMEOUT     seconds to wait for the model's first byte and between chunks (default 120)
  LLM_MAX_RETRIES retries of a failed model call (default 2)
  LLM_CHECK=false skip the start-up check that the model server serves the model

The tools (the MCP server's; in process unless --mcp-url):
  AGENT_MCP_URL, AGENT_MCP_TOKEN   a remote dockerhub-mcp and its bearer token (or --mcp-token-file)
  in process, as dockerhub-mcp takes them: DOCKER_HUB_USER + DOCKER_HUB_TOKEN (or your Docker login),
  REPOSTOOL=false…, DOCKERHUB_MCP_TOOLS, DOCKERHUB_MCP_EXCLUDE_TOOLS, DOCKERHUB_MCP_READ_ONLY,
  DOCKERHUB_ALLOW_DESTRUCTIVE=true (destructive actions, each approved by a person)

The server:
  HOST, PORT              as --host, --port (default 127.0.0.1:${DEFAULT_PORT})
  AGENT_AUTH_TOKEN        bearer token every API request needs (required off loopback; >= 16 characters)
  AGENT_PUBLIC_URL        the URL clients use (the agent card's interfaces)
  AGENT_ALLOWED_ORIGINS   other origins whose pages may call the API (comma-separated)
  AGENT_MAX_STEPS         model steps per request (default 10)
  AGENT_APPROVAL_TIMEOUT  seconds a destructive call waits for approval (default 600)
  AGENT_TOOL_TIMEOUT      seconds a tool call may take between progress reports (default 900)
  AGENT_MAX_TASKS, AGENT_TASK_TTL   tasks kept in memory (default 1000) and for how long (seconds, 86400)
  AGENT_WEB_DIR           the web chat's files, served at / (default: web/ in the package)
  DOCKERHUB_LOG_LEVEL     logs on stderr (trace … error; default silent)

Examples:
  LLM_MODEL=qwen2.5:7b-instruct dockerhub-agent --emulator     offline: Ollama + a local Docker Hub
  AGENT_MCP_TOKEN=… dockerhub-agent --mcp-url http://127.0.0.1:8080/mcp
`;

interface Flags {
  host?: string;
  port?: string;
  publicUrl?: string;
  allowedOrigins?: string;
  provider?: string;
  baseUrl?: string;
  model?: string;
  modelTimeout?: string;
  maxRetries?: string;
  skipModelCheck?: boolean;
  mcpUrl?: string;
  mcpTokenFile?: string;
  emulator?: boolean;
  tools?: string;
  excludeTools?: string;
  readOnly?: boolean;
  allowDestructive?: boolean;
  config?: string;
  hubUrl?: string;
  scoutUrl?: string;
  maxSteps?: string;
  approvalTimeout?: string;
  toolTimeout?: string;
  maxTasks?: string;
  taskTtl?: string;
}

function program(): Command {
  return new Command('dockerhub-agent')
    .description(
      'A2A agent for Docker Hub: plain-language requests done through the dockerhub-mcp tools, destructive ones approved by a person; serves A2A (JSON-RPC, HTTP+JSON) and the web chat',
    )
    .version(VERSION, '-V, --version')
    .option('--host <host>', 'bind address (default 127.0.0.1; env HOST)')
    .option('--port <n>', `port (default ${DEFAULT_PORT}; 0 for any free port; env PORT)`)
    .option('--public-url <url>', 'the URL clients reach the agent at (env AGENT_PUBLIC_URL)')
    .option('--allowed-origins <list>', 'other origins allowed to call the API from a browser')
    .option('--provider <name>', `the model's API: ${PROVIDERS.join(', ')} (env LLM_PROVIDER)`)
    .option('--base-url <url>', "the model API's base URL (env LLM_BASE_URL)")
    .option('--model <name>', 'the model (env LLM_MODEL)')
    .option('--model-timeout <seconds>', 'wait for the first byte / between chunks (env LLM_TIMEOUT)')
    .option('--max-retries <n>', 'retries of a failed model call (env LLM_MAX_RETRIES)')
    .option('--skip-model-check', 'do not check the model at start-up (env LLM_CHECK=false)')
    .option('--mcp-url <url>', 'use a remote dockerhub-mcp (its token from AGENT_MCP_TOKEN)')
    .option('--mcp-token-file <path>', "read the remote MCP server's token from this file")
    .option('--emulator', 'in-process tools against a local Docker Hub emulator with demo data')
    .option('--tools <list>', 'in process: only these tools, comma-separated')
    .option('--exclude-tools <list>', 'in process: leave out these tools or tool.actions')
    .option('--read-only', 'in process: remove every action that changes anything')
    .option('--allow-destructive', 'in process: expose destructive actions (each waits for approval)')
    .option('--config <dir>', 'in process: Docker config directory for the Docker Hub login')
    .option('--hub-url <url>', 'in process: Docker Hub API URL (env DOCKERHUB_API_URL)')
    .option('--scout-url <url>', 'in process: Docker Scout API URL (env DOCKERHUB_SCOUT_URL)')
    .option('--max-steps <n>', 'model steps per request (env AGENT_MAX_STEPS)')
    .option('--approval-timeout <seconds>', 'wait for an approval (env AGENT_APPROVAL_TIMEOUT)')
    .option('--tool-timeout <seconds>', 'longest tool call between progress reports (env AGENT_TOOL_TIMEOUT)')
    .option('--max-tasks <n>', 'tasks kept in memory (env AGENT_MAX_TASKS)')
    .option('--task-ttl <seconds>', 'how long a task is kept after its last change (env AGENT_TASK_TTL)')
    .addHelpText('after', HELP_FOOTER)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
}

const integer = (name: string, raw: string | undefined, min: number, max: number, fallback: number): number =>
  integerArg(name, raw, min, max) ?? fallback;

function httpUrl(name: string, raw: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    if (u.username || u.password) throw new ValidationError(`${name} must not carry credentials`);
    return u.toString().replace(/\/$/, '');
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(`${name} must be an http(s) URL, not "${raw}"`);
  }
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

function secretFrom(name: string, raw: string | undefined, minLength = 1): Secret | undefined {
  const v = raw?.trim();
  if (!v) return undefined;
  if (v.length < minLength) throw new ValidationError(`${name} must be at least ${minLength} characters`);
  return new Secret(v);
}

/**
 * Reads the configuration. `--help` and `--version` surface as CommanderError (exit code 0) after
 * commander printed them; every other problem is a ValidationError with a one-line message.
 */
export function readAgentConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (text: string) => void = (t) => process.stdout.write(t),
): AgentConfig {
  const f = parseProgramArgs<Flags>(program(), argv, out);

  const providerRaw = (f.provider ?? env.LLM_PROVIDER ?? 'openai-compatible').trim().toLowerCase();
  if (!(PROVIDERS as readonly string[]).includes(providerRaw))
    throw new ValidationError(`LLM_PROVIDER must be one of ${PROVIDERS.join(', ')}, not "${providerRaw}"`);
  const provider = providerRaw as ProviderName;
  const model = (f.model ?? env.LLM_MODEL ?? '').trim();
  if (!model)
    throw new ValidationError(
      'no model: set LLM_MODEL (or --model), e.g. LLM_MODEL=qwen2.5:7b-instruct for a local Ollama',
    );
  const baseRaw = f.baseUrl ?? env.LLM_BASE_URL;
  const baseUrl = baseRaw
    ? httpUrl('LLM_BASE_URL', baseRaw)
    : provider === 'openai-compatible'
      ? DEFAULT_OLLAMA_URL
      : provider === 'openai'
        ? 'https://api.openai.com/v1'
        : 'https://api.anthropic.com/v1';
  const apiKey = secretFrom(
    'LLM_API_KEY',
    env.LLM_API_KEY ??
      (provider === 'openai'
        ? env.OPENAI_API_KEY
        : provider === 'anthropic'
          ? env.ANTHROPIC_API_KEY
          : undefined),
  );
  if (!apiKey && provider !== 'openai-compatible')
    throw new ValidationError(`LLM_PROVIDER=${provider} needs an API key: set LLM_API_KEY`);

  const host = (f.host ?? env.HOST ?? '127.0.0.1').trim();
  const port = integer('--port', f.port ?? env.PORT, 0, 65535, DEFAULT_PORT);
  const authToken = secretFrom('AGENT_AUTH_TOKEN', env.AGENT_AUTH_TOKEN, 16);
  if (!authToken && !isLoopbackHost(host))
    throw new ValidationError(
      `binding to ${host} (not loopback) needs AGENT_AUTH_TOKEN (every API request then carries it as a bearer token)`,
    );
  const publicRaw = f.publicUrl ?? env.AGENT_PUBLIC_URL;
  const publicUrl = publicRaw ? httpUrl('AGENT_PUBLIC_URL', publicRaw) : undefined;
  const allowedOrigins = splitList(f.allowedOrigins ?? env.AGENT_ALLOWED_ORIGINS).map((o) => {
    if (o === '*') throw new ValidationError('AGENT_ALLOWED_ORIGINS cannot be "*": name each origin');
    return new URL(httpUrl('AGENT_ALLOWED_ORIGINS', o)).origin;
  });

  const mcpUrlRaw = f.mcpUrl ?? env.AGENT_MCP_URL;
  const mcpUrl = mcpUrlRaw ? httpUrl('--mcp-url', mcpUrlRaw) : undefined;
  let mcpToken = secretFrom('AGENT_MCP_TOKEN', env.AGENT_MCP_TOKEN);
  if (f.mcpTokenFile) {
    let text: string;
    try {
      text = readFileSync(f.mcpTokenFile, 'utf8');
    } catch (err) {
      throw new ValidationError(
        `--mcp-token-file: cannot read ${f.mcpTokenFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    mcpToken = secretFrom('--mcp-token-file', text);
  }
  const emulator = f.emulator === true;
  if (mcpUrl && emulator)
    throw new ValidationError('--emulator runs the tools in process; it cannot be combined with --mcp-url');
  if (mcpToken && !mcpUrl)
    throw new ValidationError(
      'AGENT_MCP_TOKEN is set but there is no --mcp-url (AGENT_MCP_URL) to send it to',
    );
  const readOnly = f.readOnly === true || envFlag(env, 'DOCKERHUB_MCP_READ_ONLY', false);
  const allowDestructive = f.allowDestructive === true || envFlag(env, 'DOCKERHUB_ALLOW_DESTRUCTIVE', false);
  const hubUrl = f.hubUrl ?? env.DOCKERHUB_API_URL;
  const scoutUrl = f.scoutUrl ?? env.DOCKERHUB_SCOUT_URL;

  const second = 1000;
  return {
    host,
    port,
    publicUrl,
    authToken,
    allowedOrigins,
    model: {
      provider,
      baseUrl,
      model,
      apiKey,
      timeoutMs: integer('LLM_TIMEOUT', f.modelTimeout ?? env.LLM_TIMEOUT, 1, 3600, 120) * second,
      maxRetries: integer('LLM_MAX_RETRIES', f.maxRetries ?? env.LLM_MAX_RETRIES, 0, 10, 2),
      check: f.skipModelCheck !== true && envFlag(env, 'LLM_CHECK', true),
    },
    mcp: {
      url: mcpUrl,
      token: mcpToken,
      emulator,
      filter: {
        tools: splitList(f.tools ?? env.DOCKERHUB_MCP_TOOLS),
        excludeTools: splitList(f.excludeTools ?? env.DOCKERHUB_MCP_EXCLUDE_TOOLS),
        readOnly,
        allowDestructive,
        // Only the tool toggles: the configuration never carries the rest of the environment (secrets).
        env: Object.fromEntries(Object.entries(env).filter(([k]) => /^[A-Z]+TOOL$/.test(k))),
      },
      clients: {
        hubUrl: hubUrl ? httpUrl('--hub-url', hubUrl) : undefined,
        scoutUrl: scoutUrl ? httpUrl('--scout-url', scoutUrl) : undefined,
        insecureRegistries: splitList(env.DOCKERHUB_INSECURE_REGISTRIES),
        allowDestructive,
        credentials: f.config ? { dockerConfigDir: f.config } : undefined,
      },
    },
    maxSteps: integer('AGENT_MAX_STEPS', f.maxSteps ?? env.AGENT_MAX_STEPS, 1, 100, 10),
    approvalTimeoutMs:
      integer('AGENT_APPROVAL_TIMEOUT', f.approvalTimeout ?? env.AGENT_APPROVAL_TIMEOUT, 1, 86_400, 600) *
      second,
    toolTimeoutMs:
      integer('AGENT_TOOL_TIMEOUT', f.toolTimeout ?? env.AGENT_TOOL_TIMEOUT, 1, 86_400, 900) * second,
    maxTasks: integer('AGENT_MAX_TASKS', f.maxTasks ?? env.AGENT_MAX_TASKS, 1, 1_000_000, 1000),
    taskTtlMs: integer('AGENT_TASK_TTL', f.taskTtl ?? env.AGENT_TASK_TTL, 60, 30 * 86_400, 86_400) * second,
  };
}
