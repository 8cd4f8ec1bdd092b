/**
 * The surface the model sees, checked in: tools/list with every tool and action on, and with the defaults
 * (destructive actions hidden). Any change to names, schemas, descriptions or annotations shows up as a
 * diff of these files, so it is deliberate (`npx vitest run tests/mcp/tools-list.test.ts -u` rewrites
 * them). Their size lands in every conversation's context: all-on stays under 60 KB.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../../src/mcp/index.js';
import { emulatorFor, type McpSession, openSession, SENTINEL } from './harness.js';

const emu = emulatorFor({ users: [{ username: 'alice', password: SENTINEL }] });
let session: McpSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function toolsList(allowDestructive: boolean) {
  session = await openSession(emu(), { allowDestructive });
  const { tools } = await session.client.listTools();
  await session.close();
  session = undefined;
  return tools;
}

describe('tools/list', () => {
  it('matches the checked-in snapshot with every tool on, under 60 KB', async () => {
    const tools = await toolsList(true);
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES.filter((n) => tools.some((t) => t.name === n)));
    const text = `${JSON.stringify(tools, null, 2)}\n`;
    await expect(text).toMatchFileSnapshot('snapshots/tools-list.all.json');
    expect(Buffer.byteLength(JSON.stringify(tools))).toBeLessThan(60 * 1024);
  });

  it('matches the checked-in snapshot with the defaults (no destructive action)', async () => {
    const tools = await toolsList(false);
    await expect(`${JSON.stringify(tools, null, 2)}\n`).toMatchFileSnapshot(
      'snapshots/tools-list.default.json',
    );
    for (const t of tools) expect(t.annotations?.destructiveHint).toBe(false);
  });
});
