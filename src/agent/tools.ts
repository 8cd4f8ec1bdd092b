/**
 * The MCP server's tools as AI SDK tools: the same names, descriptions and JSON Schemas (through
 * `jsonSchema()`), each call made through the MCP client with the run's abort signal. What the model
 * sees of a result is the server's JSON envelope, redacted once more here; what a person sees is a view
 * (tool, action, parameters, a one-line summary). Actions whose arguments are Docker Hub credentials
 * (the login actions) are never offered: no credential may enter a prompt.
 */
import type { CallToolResult, ElicitRequestParams, ElicitResult } from '@modelcontextprotocol/client';
import { jsonSchema, type ToolSet, tool } from 'ai';
import { redactText, redactValue } from '../core/redact.js';
import type { AgentMcp, McpTool } from './mcp-connection.js';

/** Actions that take a Docker Hub password or token as arguments: the agent never offers them. */
export const CREDENTIAL_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  hub_auth: ['create_token', 'login', 'two_factor_login'],
};

export interface ToolCallView {
  id: string;
  tool: string;
  action?: string;
  params: Record<string, unknown>;
}

export type ToolOutcome = 'ok' | 'error' | 'not_run';

export interface ToolResultView extends ToolCallView {
  outcome: ToolOutcome;
  /** One line for a person: what came back, or what went wrong. */
  summary: string;
  /** The redacted envelope, cut to a few KB, for a card's details. */
  preview: string;
  ms: number;
}

export interface ToolHooks {
  signal: AbortSignal;
  timeoutMs: number;
  onCall(call: ToolCallView): void;
  onProgress(id: string, progress: { progress: number; total?: number; message?: string }): void;
  onResult(result: ToolResultView): void;
  /** A confirmation the server asks for this call; resolves with the answer to give it. */
  onElicit(call: ToolCallView, request: ElicitRequestParams): Promise<ElicitResult>;
}

const PREVIEW_BYTES = 4096;

/** The schema as the model gets it: credential actions removed from the `action` enum. */
export function modelSchema(t: McpTool): Record<string, unknown> {
  const schema = structuredClone(t.inputSchema) as Record<string, unknown> & {
    properties?: Record<string, { enum?: unknown[] }>;
  };
  const banned = CREDENTIAL_ACTIONS[t.name];
  const action = schema.properties?.action;
  if (banned && Array.isArray(action?.enum))
    action.enum = action.enum.filter((a) => !banned.includes(String(a)));
  return schema;
}

function paramsOf(input: Record<string, unknown>): Record<string, unknown> {
  const { action: _action, ...rest } = input;
  return redactValue(rest) as Record<string, unknown>;
}

interface Envelope {
  status?: string;
  data?: unknown;
  next?: unknown;
  total?: unknown;
  truncated?: unknown;
  error?: { message?: string; http_status?: number; hint?: string };
}

/** The server's envelope (structured, or its JSON text), redacted. */
function envelopeOf(result: CallToolResult): { envelope: Envelope; text: string } {
  let raw: unknown = result.structuredContent;
  const text = (result.content ?? [])
    .map((c) => (c.type === 'text' ? c.text : ''))
    .filter(Boolean)
    .join('\n');
  if (raw === undefined) {
    try {
      raw = JSON.parse(text);
    } catch {
      raw = { status: result.isError ? 'error' : 'ok', data: text };
    }
  }
  const envelope = redactValue(raw) as Envelope;
  return { envelope, text: JSON.stringify(envelope) };
}

export function summarize(envelope: Envelope, isError: boolean): { outcome: ToolOutcome; summary: string } {
  if (envelope.status === 'cancelled') {
    const reason = (envelope.data as { reason?: string } | undefined)?.reason ?? 'not run';
    return { outcome: 'not_run', summary: reason };
  }
  if (isError || envelope.status === 'error') {
    const e = envelope.error ?? {};
    return {
      outcome: 'error',
      summary: `${e.message ?? 'failed'}${e.http_status ? ` (HTTP ${e.http_status})` : ''}`,
    };
  }
  const data = envelope.data;
  let summary: string;
  if (Array.isArray(data)) {
    summary = `${data.length} item${data.length === 1 ? '' : 's'}`;
    if (typeof envelope.total === 'number') summary += ` of ${envelope.total}`;
    if (envelope.next) summary += ', more available';
  } else if (data && typeof data === 'object') {
    const keys = Object.keys(data);
    summary = `ok: ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  } else summary = data === null || data === undefined ? 'ok' : `ok: ${String(data).slice(0, 80)}`;
  if (envelope.truncated) summary += ' (cut to fit)';
  return { outcome: 'ok', summary };
}

function preview(text: string): string {
  return text.length > PREVIEW_BYTES ? `${text.slice(0, PREVIEW_BYTES)}…` : text;
}

interface Output {
  /** What the model reads: the redacted envelope. */
  text: string;
}

/** One AI SDK tool per MCP tool. */
export function toolSet(mcp: AgentMcp, hooks: ToolHooks): ToolSet {
  const set: ToolSet = {};
  for (const t of mcp.tools()) {
    set[t.name] = tool({
      description: t.description ?? t.title ?? t.name,
      inputSchema: jsonSchema<Record<string, unknown>>(modelSchema(t) as never),
      execute: async (input: Record<string, unknown>, { toolCallId, abortSignal }): Promise<Output> => {
        const started = Date.now();
        const action = typeof input.action === 'string' ? input.action : undefined;
        const call: ToolCallView = { id: toolCallId, tool: t.name, action, params: paramsOf(input) };
        hooks.onCall(call);
        const finish = (outcome: ToolOutcome, summary: string, text: string): Output => {
          hooks.onResult({ ...call, outcome, summary, preview: preview(text), ms: Date.now() - started });
          return { text };
        };
        if (action && CREDENTIAL_ACTIONS[t.name]?.includes(action)) {
          const text = JSON.stringify({
            status: 'error',
            data: null,
            error: {
              message: `${t.name}.${action} takes Docker Hub credentials as arguments, which this agent never handles`,
              hint: 'Credentials belong in the MCP server configuration; nothing was sent.',
            },
          });
          return finish('error', 'refused: credentials never pass through the agent', text);
        }
        const signal = abortSignal ? AbortSignal.any([hooks.signal, abortSignal]) : hooks.signal;
        try {
          const result = await mcp.call(t.name, input, {
            signal,
            timeoutMs: hooks.timeoutMs,
            onProgress: (p) => hooks.onProgress(toolCallId, p),
            onElicit: (request) => hooks.onElicit(call, request),
          });
          const { envelope, text } = envelopeOf(result);
          const { outcome, summary } = summarize(envelope, result.isError === true);
          return finish(outcome, summary, text);
        } catch (err) {
          if (hooks.signal.aborted) throw err;
          const message = redactText(err instanceof Error ? err.message : String(err));
          const text = JSON.stringify({
            status: 'error',
            data: null,
            error: { message: `the MCP call failed: ${message}` },
          });
          return finish('error', `the MCP call failed: ${message}`, text);
        }
      },
      toModelOutput: ({ output }) => ({ type: 'text', value: (output as Output).text }),
    });
  }
  return set;
}
