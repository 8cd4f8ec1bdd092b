/**
 * The MCP server under test, in process, against the emulator: a real SDK `Client` connected over the
 * in-memory transport (2025-era protocol) or through `createMcpHandler`'s fetch (2026-07-28), with every
 * message the server sent and every log line it wrote kept for the sentinel-secret check.
 * `emulatorFor(seed, { registry: 'builtin' })` (or 'auto', 'distribution') starts the emulator's registry
 * beside it; `pushImage` puts a small image there as a seeded user; Scout queries go to the emulator.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, InMemoryTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import {
  type EmulatorOptions,
  type RunningEmulator,
  type Seed,
  startEmulator,
  writeDemoImage,
} from '../../src/emulator/index.js';
import {
  ALL_TOOLS,
  type ConfirmMode,
  createDockerHubMcpServer,
  type Envelope,
  McpClients,
  selectTools,
  type ToolFilter,
} from '../../src/mcp/index.js';
import { pushImage as pushLayout, RegistryClient } from '../../src/registry/index.js';

export const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

export type Era = 'legacy' | 'modern';

/** What the client answers to a confirmation: accept (ticked), decline, or no elicitation support. */
export type Elicit = 'accept' | 'decline' | 'cancel' | 'untick' | 'unsupported';

export interface McpSessionOptions {
  era?: Era;
  filter?: Omit<ToolFilter, 'env'>;
  /** Environment toggles (REPOSTOOL=false…). */
  env?: Record<string, string>;
  allowDestructive?: boolean;
  elicit?: Elicit;
  confirm?: ConfirmMode;
  dynamicTools?: boolean;
  /** Who the server acts as (default the seed's first user). */
  user?: { username: string; password: string };
  /** The SCIM bearer token the server holds (hub_scim); default none. */
  scimToken?: string;
  maxBytes?: number;
  /** The Scout organization the server reads when a call names none. */
  scoutOrganization?: string;
}

export interface CallResult {
  isError: boolean;
  envelope: Envelope;
  text: string;
}

export interface McpSession {
  client: Client;
  clients: McpClients;
  /** Every message the server sent and every log line, as text. */
  transcript: string[];
  /** Questions the client was asked (elicitation messages). */
  asked: string[];
  call(
    tool: string,
    args: Record<string, unknown>,
    opts?: { onprogress?: (p: unknown) => void; signal?: AbortSignal },
  ): Promise<CallResult>;
  close(): Promise<void>;
}

/** Records what the server sends on a 2025-era in-memory connection. */
function recording(inner: InMemoryTransport, transcript: string[]): InMemoryTransport {
  return new Proxy(inner, {
    set(target, prop, value) {
      if (prop === 'onmessage' && typeof value === 'function') {
        (target as unknown as Record<string, unknown>).onmessage = (msg: unknown, extra: unknown) => {
          transcript.push(JSON.stringify(msg));
          return value(msg, extra);
        };
        return true;
      }
      return Reflect.set(target, prop, value);
    },
  });
}

export async function openSession(emu: RunningEmulator, opts: McpSessionOptions = {}): Promise<McpSession> {
  const transcript: string[] = [];
  const asked: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      transcript.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination: logStream });
  const user = opts.user ?? { username: 'alice', password: SENTINEL };
  const clients = new McpClients({
    hubUrl: emu.url,
    scoutUrl: emu.url,
    scoutOrganization: opts.scoutOrganization,
    credentials: { ...user, env: {}, useDockerConfig: false },
    allowDestructive: opts.allowDestructive ?? false,
    scimToken: opts.scimToken,
    logger,
    retry: false,
  });
  const tools = selectTools(ALL_TOOLS, {
    ...opts.filter,
    allowDestructive: opts.allowDestructive,
    env: opts.env ?? {},
  });
  const build = () =>
    createDockerHubMcpServer({
      clients,
      tools,
      logger,
      confirm: opts.confirm,
      dynamicTools: opts.dynamicTools,
      limits: { maxItems: 100, maxBytes: opts.maxBytes ?? 48 * 1024 },
    });
  const elicit = opts.elicit ?? 'unsupported';
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      capabilities: elicit === 'unsupported' ? {} : { elicitation: { form: {} } },
      ...(opts.era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  if (elicit !== 'unsupported') {
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(String((req.params as { message?: string }).message));
      if (elicit === 'accept') return { action: 'accept', content: { confirm: true } };
      if (elicit === 'untick') return { action: 'accept', content: { confirm: false } };
      return { action: elicit };
    });
  }
  let closeServer: () => Promise<void>;
  if (opts.era === 'modern') {
    const handler = createMcpHandler(() => build());
    const fetcher = async (url: string | URL, init?: RequestInit) => {
      const res = await handler.fetch(new Request(url, init));
      res
        .clone()
        .text()
        .then((t) => transcript.push(t))
        .catch(() => undefined);
      return res;
    };
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://mcp.test/mcp'), { fetch: fetcher }),
    );
    closeServer = () => handler.close();
  } else {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = build();
    await server.connect(serverSide);
    await client.connect(recording(clientSide, transcript));
    closeServer = () => server.close();
  }
  return {
    client,
    clients,
    transcript,
    asked,
    async call(tool, args, callOpts = {}) {
      const res = await client.callTool({ name: tool, arguments: args }, callOpts);
      const content = res.content as Array<{ type: string; text?: string }>;
      const text = content.find((c) => c.type === 'text')?.text ?? '';
      const envelope = (res.structuredContent ?? JSON.parse(text)) as Envelope;
      return { isError: res.isError === true, envelope, text };
    },
    async close() {
      await client.close();
      await closeServer();
      await clients.close();
      logStream.end();
    },
  };
}

/** Asserts that no message or log line of the session contains the sentinel secret. */
export function expectNoSentinel(session: McpSession, sentinel = SENTINEL): void {
  expect(session.transcript.length, 'nothing was recorded').toBeGreaterThan(0);
  const leaks = session.transcript.filter((t) => t.includes(sentinel));
  expect(leaks, 'the sentinel secret leaked').toEqual([]);
}

/**
 * One emulator for a test file (started before its tests, stopped after). The seed may be made just
 * before the start (e.g. once images whose digests it names are written).
 */
export function emulatorFor(
  seed: Seed | (() => Seed | Promise<Seed>),
  options: Omit<EmulatorOptions, 'seed'> = {},
): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ seed: typeof seed === 'function' ? await seed() : seed, ...options });
  });
  afterAll(async () => {
    await emu?.stop();
  });
  return () => {
    if (!emu) throw new Error('the emulator is not running');
    return emu;
  };
}

/**
 * Sessions for a test file: `open()` starts one against the emulator with the file's defaults; after each
 * test, every session it opened is checked (the sentinel secret, each of `secrets`, and `check`) and closed.
 */
export function sessionsFor(
  emu: () => RunningEmulator,
  options: { defaults?: McpSessionOptions; secrets?: string[]; check?: (s: McpSession) => void } = {},
): (opts?: McpSessionOptions) => Promise<McpSession> {
  let sessions: McpSession[] = [];
  afterEach(async () => {
    const open = sessions;
    sessions = [];
    for (const s of open) {
      expectNoSentinel(s);
      for (const secret of options.secrets ?? []) expectNoSentinel(s, secret);
      options.check?.(s);
      await s.close();
    }
  });
  return async (opts = {}) => {
    const s = await openSession(emu(), { ...options.defaults, ...opts });
    sessions.push(s);
    return s;
  };
}

/** `host:port` of the registry beside the emulator (started with `registry: 'builtin'` or another mode). */
export function registryHost(emu: RunningEmulator): string {
  const host = emu.registry?.host;
  if (!host) throw new Error("the emulator runs without a registry: start it with { registry: 'builtin' }");
  return host;
}

/**
 * Pushes a small single-platform image (one random layer, so each push is new content) to `image` as
 * `user` (default alice with the sentinel password); returns its manifest digest.
 */
export async function pushImage(
  image: string,
  user: { username: string; password: string } = { username: 'alice', password: SENTINEL },
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'dh-mcp-image-'));
  const registry = new RegistryClient({ credentials: { ...user, env: {}, useDockerConfig: false } });
  try {
    const layout = await writeDemoImage(join(work, 'layout'), 'v1');
    return (await pushLayout(registry, layout.dir, image)).digest;
  } finally {
    await registry.close();
    await rm(work, { recursive: true, force: true });
  }
}
