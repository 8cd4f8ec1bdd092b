/**
 * `dockerhub-mcp --transport http` in process on an ephemeral port against the emulator: real SDK
 * clients on both protocol eras, /health and /metrics, per-request narrowing by headers (narrow, never
 * widen, a bad name is a 400), and no secret in anything the server sent or logged.
 */
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTool } from '../../src/mcp/action.js';
import { ALL_TOOLS } from '../../src/mcp/index.js';
import { emulatorFor, SENTINEL } from './harness.js';
import {
  bearer,
  expectNoSecrets,
  type HttpStartOptions,
  type HttpUnderTest,
  httpClient,
  INITIALIZE,
  mcpHeaders,
  raw,
  startHttp,
  TOKEN,
} from './http-harness.js';

const seed = {
  users: [{ username: 'alice', password: SENTINEL, email: 'alice@example.test' }],
  orgs: [{ name: 'acme', members: [{ username: 'alice', role: 'owner' as const }] }],
  repositories: [
    { namespace: 'acme', name: 'app', tags: [{ name: 'latest' }, { name: 'v1' }] },
    { namespace: 'acme', name: 'web', tags: [] },
  ],
};

/** A second tool to narrow away (the real ones arrive on other branches); it makes no request. */
const probeTool = defineTool({
  name: 'hub_admin',
  title: 'Probe',
  description: 'A test tool.',
  toggle: 'ADMINTOOL',
  rateLimit: 'hub',
  params: {},
  actions: (action) => ({
    whoami: action({ description: 'Who the server acts as.', effect: 'read', run: () => ({ who: 'alice' }) }),
  }),
});
const reposTool = ALL_TOOLS.find((t) => t.name === 'hub_repos')!;
const CATALOGUE = [reposTool, probeTool];

const emu = emulatorFor(seed);
let under: HttpUnderTest | undefined;
const clients: Client[] = [];

async function start(opts: HttpStartOptions = {}): Promise<HttpUnderTest> {
  under = await startHttp(emu(), { catalogue: CATALOGUE, ...opts });
  return under;
}

async function connect(opts: Parameters<typeof httpClient>[1] = {}): Promise<Client> {
  const client = await httpClient(under!, opts);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  if (under) {
    expectNoSecrets(under);
    await under.close();
    under = undefined;
  }
});

interface Envelope {
  status: string;
  data: unknown;
  error?: { message: string; hint?: string };
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const res = await client.callTool({ name, arguments: args });
  return { isError: res.isError === true, envelope: res.structuredContent as unknown as Envelope };
}

async function toolActions(client: Client): Promise<Record<string, string[]>> {
  const { tools } = await client.listTools();
  return Object.fromEntries(
    tools.map((t) => [
      t.name,
      ((t.inputSchema.properties as Record<string, { enum?: string[] }>).action?.enum ?? []) as string[],
    ]),
  );
}

describe.each([
  ['legacy', 'legacy'],
  ['auto', 'modern'],
  ['modern', 'modern'],
] as const)('streamable HTTP with version negotiation %s', (negotiation, era) => {
  it(`lands on the ${era} era, lists the tools and calls one against the emulator`, async () => {
    await start();
    const client = await connect({ negotiation });
    expect(client.getProtocolEra()).toBe(era);
    // The tool list never changes over HTTP (no dynamic mode), and the capabilities say so.
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: false });
    expect(Object.keys(await toolActions(client))).toEqual(['hub_repos', 'hub_admin']);
    const listed = await call(client, 'hub_repos', { action: 'list', namespace: 'acme' });
    expect(listed.isError).toBe(false);
    expect((listed.envelope.data as Array<{ name: string }>).map((r) => r.name).sort()).toEqual([
      'app',
      'web',
    ]);
    const missing = await call(client, 'hub_repos', { action: 'get', namespace: 'acme', repository: 'nope' });
    expect(missing.isError).toBe(true);
    expect(missing.envelope.error?.message).toMatch(/not found/i);
  });
});

describe('the HTTP endpoint', () => {
  it('says where it listens, and how clients authenticate, on stderr', async () => {
    const u = await start();
    expect(u.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(u.stderr).toEqual([
      `dockerhub-mcp: listening on ${u.url} (streamable HTTP; auth: bearer token (MCP_AUTH_TOKEN))\n`,
    ]);
  });

  it('names the address when it cannot listen (a port taken)', async () => {
    const u = await start();
    const port = new URL(u.origin).port;
    await expect(startHttp(emu(), { argv: ['--port', port] })).rejects.toThrow(
      `cannot listen on 127.0.0.1:${port}: the port is already in use (choose another with --port, or 0 for any free port)`,
    );
  });

  it('answers /health without authentication and without information', async () => {
    const u = await start();
    const res = await raw(u, { method: 'GET', path: '/health' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    // Even a Host no client would use gets the bare answer (probes reach pods by IP).
    expect((await raw(u, { method: 'GET', path: '/health', headers: { host: '10.0.0.7:80' } })).status).toBe(
      200,
    );
    expect((await raw(u, { method: 'POST', path: '/health' })).status).toBe(405);
  });

  it('serves Prometheus metrics only with the token, counting tool calls by tool.action and outcome', async () => {
    const u = await start();
    const denied = await raw(u, { method: 'GET', path: '/metrics' });
    expect(denied.status).toBe(401);
    expect(denied.body).not.toContain('dockerhub_');
    const client = await connect();
    await call(client, 'hub_repos', { action: 'list', namespace: 'acme' });
    await call(client, 'hub_repos', { action: 'get', namespace: 'acme', repository: 'nope' });
    const res = await raw(u, { method: 'GET', path: '/metrics', headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(
      /dockerhub_server_requests_total\{server="mcp",operation="hub_repos\.list",status="200"\} [1-9]/,
    );
    expect(res.body).toMatch(
      /dockerhub_server_requests_total\{server="mcp",operation="hub_repos\.get",status="404"\} [1-9]/,
    );
    // The HTTP layer's own answers are counted too, refusals included.
    expect(res.body).toMatch(
      /dockerhub_server_requests_total\{server="mcp-http",operation="GET \/metrics",status="401"\} [1-9]/,
    );
  });

  it('answers 404 off the MCP endpoint, and the SDK answers the 2025 session methods it does not serve', async () => {
    const u = await start();
    expect((await raw(u, { method: 'GET', path: '/admin', headers: bearer() })).status).toBe(404);
    // Stateless: there is no session stream to open or session to delete.
    expect(
      (await raw(u, { method: 'GET', headers: { ...bearer(), accept: 'text/event-stream' } })).status,
    ).toBe(405);
    expect((await raw(u, { method: 'DELETE', headers: bearer() })).status).toBe(405);
  });
});

describe('per-request narrowing by headers', () => {
  it('X-MCP-Tools leaves the other tools out of tools/list, and calling one fails', async () => {
    await start();
    const client = await connect({ headers: { ...bearer(), 'X-MCP-Tools': 'repos' } });
    expect(Object.keys(await toolActions(client))).toEqual(['hub_repos']);
    const refused = await client
      .callTool({ name: 'hub_admin', arguments: { action: 'whoami' } })
      .then((r) => JSON.stringify(r.content))
      .catch((err: Error) => err.message);
    expect(refused).toMatch(/hub_admin/);
    expect(refused).toMatch(/not found/i);
  });

  it('X-MCP-Tools with tool.action keeps only those actions; another is an isError naming the header', async () => {
    await start();
    const client = await connect({
      negotiation: 'modern',
      headers: { ...bearer(), 'X-MCP-Tools': 'hub_repos.list, hub_repos.get' },
    });
    expect(await toolActions(client)).toEqual({ hub_repos: ['list', 'get'] });
    const refused = await call(client, 'hub_repos', { action: 'create', namespace: 'acme', repository: 'x' });
    expect(refused.isError).toBe(true);
    expect(refused.envelope.error?.message).toMatch(/X-MCP-Tools/);
    const listed = await call(client, 'hub_repos', { action: 'list', namespace: 'acme' });
    expect(listed.isError).toBe(false);
  });

  it('X-MCP-Readonly: true hides every write and refuses one by name; nothing was created', async () => {
    await start();
    const client = await connect({ headers: { ...bearer(), 'X-MCP-Readonly': 'true' } });
    const { tools } = await client.listTools();
    const repos = tools.find((t) => t.name === 'hub_repos')!;
    const actions = (repos.inputSchema.properties as Record<string, { enum: string[] }>).action!.enum;
    expect(actions).toContain('list');
    for (const write of ['create', 'update', 'set_immutable_tags', 'assign_group'])
      expect(actions).not.toContain(write);
    expect(repos.annotations?.readOnlyHint).toBe(true);
    const refused = await call(client, 'hub_repos', { action: 'create', namespace: 'acme', repository: 'x' });
    expect(refused.isError).toBe(true);
    expect(refused.envelope.error?.message).toMatch(/X-MCP-Readonly/);
    const got = await call(client, 'hub_repos', { action: 'get', namespace: 'acme', repository: 'x' });
    expect(got.isError).toBe(true);
  });

  it('a header never widens: a tool the server was not started with stays out, read-only stays on', async () => {
    await start({ argv: ['--tools', 'repos', '--read-only'] });
    const client = await connect({
      headers: { ...bearer(), 'X-MCP-Tools': 'hub_repos,hub_admin', 'X-MCP-Readonly': 'false' },
    });
    const actions = await toolActions(client);
    expect(Object.keys(actions)).toEqual(['hub_repos']);
    expect(actions.hub_repos).not.toContain('create');
    const refused = await call(client, 'hub_repos', { action: 'create', namespace: 'acme', repository: 'x' });
    expect(refused.isError).toBe(true);
    expect(refused.envelope.error?.message).toMatch(/read-only/);
  });

  it.each([
    ['X-MCP-Tools', 'hub_nope', /^X-MCP-Tools: unknown tool "hub_nope"; tools: hub_auth, /],
    ['X-MCP-Tools', 'hub_repos.nuke', /^X-MCP-Tools: unknown action "nuke" of hub_repos; actions: list, /],
    [
      'X-MCP-Tools',
      'hub_repos.list.x',
      /^X-MCP-Tools: "hub_repos\.list\.x" is neither a tool nor tool\.action$/,
    ],
    ['X-MCP-Readonly', 'maybe', /^X-MCP-Readonly must be true or false, not "maybe"$/],
    ['X-MCP-Tools', 'hub_scout', /leave no tool to serve; this server serves hub_repos, hub_admin$/],
  ])('%s: %s is a 400 with one line naming the problem', async (name, value, message) => {
    const u = await start();
    const res = await raw(u, { body: INITIALIZE, headers: mcpHeaders({ ...bearer(), [name]: value }) });
    expect(res.status).toBe(400);
    const { error } = res.json() as { error: { message: string } };
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('the bearer token', () => {
  it('is required on the MCP endpoint: none, another, or another scheme is a 401 challenge', async () => {
    const u = await start();
    for (const auth of [
      undefined,
      `Bearer ${TOKEN}x`,
      'Bearer short',
      `Basic ${TOKEN}`,
      `bearer  ${TOKEN}`,
    ]) {
      const res = await raw(u, {
        body: INITIALIZE,
        headers: mcpHeaders(auth ? { authorization: auth } : {}),
      });
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
      // Token mode has no OAuth metadata to point at.
      expect(res.headers['www-authenticate']).not.toContain('resource_metadata');
      expect(res.body).not.toContain('protocolVersion');
    }
    const ok = await raw(u, { body: INITIALIZE, headers: mcpHeaders(bearer()) });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('"protocolVersion":"2025-11-25"');
  });

  it('refuses an SDK client without it (typed 401)', async () => {
    await start();
    const err = await httpClient(under!, { headers: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { status: 401 } });
    expect(String(err)).toContain('invalid_token');
  });
});
