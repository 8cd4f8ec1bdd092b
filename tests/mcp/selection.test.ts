/**
 * Which tools and actions a server exposes: environment toggles, --tools, --exclude-tools (whole tools or
 * single actions), the destructive gate and read-only mode (which wins), and per-request narrowing, which
 * can only remove. Checked on a small catalogue and then on the real one through a client's tools/list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ToolSpec } from '../../src/mcp/action.js';
import { envFlag, narrowTools, selectTools } from '../../src/mcp/selection.js';
import { emulatorFor, type McpSession, openSession, SENTINEL } from './harness.js';

const noop = () => ({});
const repos = defineTool({
  name: 'hub_repos',
  title: 'r',
  description: 'r',
  toggle: 'REPOSTOOL',
  rateLimit: 'hub',
  params: { id: { schema: z.string(), description: 'id' } },
  actions: (a) => ({
    list: a({ description: 'l', effect: 'read', run: noop }),
    create: a({ description: 'c', effect: 'write', required: ['id'], run: noop }),
    delete: a({
      description: 'd',
      effect: 'destructive',
      required: ['id'],
      confirm: (x) => `delete ${x.id}?`,
      run: noop,
    }),
  }),
});
const audit = defineTool({
  name: 'hub_audit',
  title: 'a',
  description: 'a',
  toggle: 'AUDITTOOL',
  rateLimit: 'hub',
  params: {},
  actions: (a) => ({ logs: a({ description: 'l', effect: 'read', run: noop }) }),
});
const catalogue: ToolSpec[] = [repos, audit];

const shape = (tools: ReturnType<typeof selectTools>) =>
  Object.fromEntries(tools.map((t) => [t.spec.name, [...t.actions]]));

describe('selectTools', () => {
  it('serves every tool, without destructive actions, by default', () => {
    expect(shape(selectTools(catalogue, { env: {} }))).toEqual({
      hub_repos: ['list', 'create'],
      hub_audit: ['logs'],
    });
  });

  it('adds destructive actions only when allowed, and says why they are hidden otherwise', () => {
    const off = selectTools(catalogue, { env: {} });
    expect(off[0]?.hidden.delete).toMatch(/DOCKERHUB_ALLOW_DESTRUCTIVE=true/);
    expect(shape(selectTools(catalogue, { env: {}, allowDestructive: true })).hub_repos).toEqual([
      'list',
      'create',
      'delete',
    ]);
  });

  it('turns a tool off with its environment toggle, and refuses a toggle that is not a boolean', () => {
    expect(shape(selectTools(catalogue, { env: { AUDITTOOL: 'false' } }))).toEqual({
      hub_repos: ['list', 'create'],
    });
    expect(shape(selectTools(catalogue, { env: { AUDITTOOL: 'OFF', REPOSTOOL: '0' } }))).toEqual({});
    expect(() => selectTools(catalogue, { env: { REPOSTOOL: 'maybe' } })).toThrow(
      'REPOSTOOL must be true or false, not "maybe"',
    );
  });

  it('composes --tools (short or full names) with --exclude-tools for tools and single actions', () => {
    expect(shape(selectTools(catalogue, { env: {}, tools: ['repos'] }))).toEqual({
      hub_repos: ['list', 'create'],
    });
    expect(
      shape(selectTools(catalogue, { env: {}, tools: ['hub_repos', 'audit'], excludeTools: ['hub_audit'] })),
    ).toEqual({
      hub_repos: ['list', 'create'],
    });
    const noCreate = selectTools(catalogue, { env: {}, excludeTools: ['repos.create'] });
    expect(shape(noCreate).hub_repos).toEqual(['list']);
    expect(noCreate[0]?.hidden.create).toMatch(/excluded/);
    // A toggle that is off stays off whatever --tools says: the operator's environment wins.
    expect(shape(selectTools(catalogue, { env: { REPOSTOOL: 'false' }, tools: ['repos'] }))).toEqual({});
  });

  it('names an unknown tool or action', () => {
    expect(() => selectTools(catalogue, { env: {}, tools: ['hub_nope'] })).toThrow(
      /unknown tool "hub_nope"; tools: hub_auth/,
    );
    expect(() => selectTools(catalogue, { env: {}, excludeTools: ['repos.explode'] })).toThrow(
      'unknown action "explode" of hub_repos; actions: list, create, delete',
    );
  });

  it('read-only removes every change and wins over allowing destructive actions', () => {
    const ro = selectTools(catalogue, { env: {}, readOnly: true, allowDestructive: true });
    expect(shape(ro)).toEqual({ hub_repos: ['list'], hub_audit: ['logs'] });
    expect(ro[0]?.hidden.delete).toMatch(/read-only/);
  });

  it('a request narrows the selection but never widens it', () => {
    const base = selectTools(catalogue, { env: {}, excludeTools: ['hub_audit'] });
    expect(shape(narrowTools(base, { tools: ['hub_repos', 'hub_audit'] }))).toEqual({
      hub_repos: ['list', 'create'],
    });
    expect(shape(narrowTools(base, { tools: ['repos.list'] }))).toEqual({ hub_repos: ['list'] });
    const ro = narrowTools(selectTools(catalogue, { env: {}, allowDestructive: true }), { readOnly: true });
    expect(shape(ro)).toEqual({ hub_repos: ['list'], hub_audit: ['logs'] });
    expect(ro[0]?.hidden.create).toMatch(/X-MCP-Readonly/);
    expect(() => narrowTools(base, { tools: ['hub_bogus'] })).toThrow(/unknown tool/);
  });

  it('reads boolean settings strictly', () => {
    expect(envFlag({ X: 'yes' }, 'X', false)).toBe(true);
    expect(envFlag({}, 'X', true)).toBe(true);
    expect(() => envFlag({ X: '2' }, 'X', false)).toThrow('X must be true or false, not "2"');
  });
});

describe('the selection as a client sees it', () => {
  const emu = emulatorFor({ users: [{ username: 'alice', password: SENTINEL }] });
  let session: McpSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('read-only mode leaves hub_repos with read actions only, marked readOnlyHint', async () => {
    session = await openSession(emu(), { filter: { readOnly: true }, allowDestructive: true });
    const { tools } = await session.client.listTools();
    const repos = tools.find((t) => t.name === 'hub_repos')!;
    const actions = (repos.inputSchema.properties as { action: { enum: string[] } }).action.enum;
    expect(actions).toContain('list');
    expect(actions).not.toContain('create');
    expect(actions).not.toContain('delete');
    expect(repos.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(repos.description).not.toMatch(/create\(/);
    const refused = await session.call('hub_repos', {
      action: 'create',
      namespace: 'alice',
      repository: 'x',
    });
    expect(refused.envelope.error?.message).toMatch(/read-only/);
  });

  it('a toggled-off tool is absent from tools/list and cannot be called', async () => {
    session = await openSession(emu(), { env: { REPOSTOOL: 'false' } });
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('hub_repos');
    // An unknown tool is a protocol error (-32602), as the SDK answers it.
    await expect(
      session.client.callTool({ name: 'hub_repos', arguments: { action: 'list' } }),
    ).rejects.toThrow('Tool hub_repos not found');
  });
});
