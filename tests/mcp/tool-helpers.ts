/** What the tool tests share: the actions a tool advertises, and the refusal of a hidden destructive action. */
import { expect } from 'vitest';
import type { CallResult, McpSession } from './harness.js';

/** The `action` enum a tool advertises in tools/list (undefined: the tool is not listed). */
export async function advertisedActions(s: McpSession, tool: string): Promise<string[] | undefined> {
  const { tools } = await s.client.listTools();
  const found = tools.find((t) => t.name === tool);
  if (!found) return undefined;
  return (found.inputSchema.properties as Record<string, { enum?: string[] }>).action?.enum;
}

/** The tool's annotations in tools/list. */
export async function annotationsOf(s: McpSession, tool: string): Promise<Record<string, unknown>> {
  const { tools } = await s.client.listTools();
  return (tools.find((t) => t.name === tool)?.annotations ?? {}) as Record<string, unknown>;
}

/**
 * A destructive call on a server without DOCKERHUB_ALLOW_DESTRUCTIVE: refused, saying how to enable it (in
 * the message for a hidden action, in the hint for a write these arguments make destructive).
 */
export async function expectRefusedWhileOff(s: McpSession, tool: string, args: Record<string, unknown>) {
  const res = await s.call(tool, args);
  expect(res.isError).toBe(true);
  expect(res.envelope.status).toBe('error');
  expect(`${res.envelope.error?.message} ${res.envelope.error?.hint}`).toMatch(
    /DOCKERHUB_ALLOW_DESTRUCTIVE=true/,
  );
  return res;
}

/** A call the user declined: not run, said so. */
export function expectDeclined(res: CallResult): void {
  expect(res.isError).toBe(true);
  expect(res.envelope.status).toBe('cancelled');
  expect(res.envelope.data).toMatchObject({ ran: false });
}

/** A successful call's data. */
export function ok<T = Record<string, unknown>>(res: CallResult): T {
  expect(res.envelope.error, JSON.stringify(res.envelope.error)).toBeUndefined();
  expect(res.isError).toBe(false);
  expect(res.envelope.status).toBe('ok');
  return res.envelope.data as T;
}

/** How many recorded messages and log lines contain `text`. */
export function occurrences(s: McpSession, text: string): number {
  return s.transcript.filter((t) => t.includes(text)).length;
}
