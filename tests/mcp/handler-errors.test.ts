/**
 * An action whose own `check` or `confirm` throws (a parser rejecting a value, a bug) still answers with
 * the error envelope, and runs nothing: the model gets a result it can read, never a protocol error.
 */
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors.js';
import { defineTool } from '../../src/mcp/action.js';
import { createDockerHubMcpServer, type Envelope, McpClients, selectTools } from '../../src/mcp/index.js';

let ran = 0;
const tool = defineTool({
  name: 'hub_admin',
  title: 't',
  description: 't',
  toggle: 'ADMINTOOL',
  rateLimit: 'hub',
  params: { id: { schema: z.string(), description: 'id' } },
  actions: (a) => ({
    checked: a({
      description: 'c',
      effect: 'read',
      required: ['id'],
      check: (x) => {
        if (x.id === 'boom') throw new ValidationError('id "boom" cannot be parsed');
        return undefined;
      },
      run: () => ({ ran: ++ran }),
    }),
    confirmed: a({
      description: 'd',
      effect: 'destructive',
      required: ['id'],
      confirm: (x) => {
        if (x.id === 'boom') throw new ValidationError('cannot describe "boom"');
        return `delete ${x.id}?`;
      },
      run: () => ({ ran: ++ran }),
    }),
  }),
});

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function connect() {
  const clients = new McpClients({ allowDestructive: true });
  const server = createDockerHubMcpServer({
    clients,
    tools: selectTools([tool], { allowDestructive: true, env: {} }),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 't', version: '1' });
  await client.connect(a);
  close = async () => {
    await client.close();
    await server.close();
    await clients.close();
  };
  return async (args: Record<string, unknown>) => {
    const res = await client.callTool({ name: 'hub_admin', arguments: args });
    return { isError: res.isError === true, envelope: res.structuredContent as unknown as Envelope };
  };
}

describe('a throwing check or confirm', () => {
  it('is an error envelope naming the problem, and nothing runs', async () => {
    const call = await connect();
    ran = 0;
    const checked = await call({ action: 'checked', id: 'boom' });
    expect(checked.isError).toBe(true);
    expect(checked.envelope.error?.message).toBe('hub_admin.checked: id "boom" cannot be parsed');
    const confirmed = await call({ action: 'confirmed', id: 'boom' });
    expect(confirmed.isError).toBe(true);
    expect(confirmed.envelope).toMatchObject({
      status: 'error',
      error: { message: 'cannot describe "boom"' },
    });
    expect(ran).toBe(0);
    expect((await call({ action: 'checked', id: 'fine' })).envelope.data).toEqual({ ran: 1 });
  });
});
