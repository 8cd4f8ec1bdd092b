/**
 * A2A shapes the agent speaks: text and data parts, agent messages, status and artifact events, and the
 * reading of a user's message (its text, or an approval answer `{ approval: 'approve' | 'deny', id }`).
 * The data parts' `type` values are the streaming API the web chat and other clients read (docs/agent.md).
 */
import { randomUUID } from 'node:crypto';
import { type Message, type Part, Role, type TaskState } from '@a2a-js/sdk';
import { AgentEvent, type AgentExecutionEvent } from '@a2a-js/sdk/server';

export type AgentData =
  | { type: 'tool-call'; id: string; tool: string; action?: string; params: Record<string, unknown> }
  | { type: 'tool-progress'; id: string; progress: number; total?: number; message?: string }
  | {
      type: 'tool-result';
      id: string;
      tool: string;
      action?: string;
      outcome: 'ok' | 'error' | 'not_run';
      summary: string;
      preview: string;
      ms: number;
    }
  | {
      type: 'approval-request';
      id: string;
      /** The tool call (its `tool-call` event's id) this approval is for. */
      toolCallId?: string;
      tool: string;
      action?: string;
      params: Record<string, unknown>;
      question: string;
      expiresAt: string;
      /** How to answer, for clients that read no docs. */
      answer: { approve: { approval: 'approve'; id: string }; deny: { approval: 'deny'; id: string } };
    }
  | { type: 'approval-result'; id: string; outcome: string; reason?: string }
  | { type: 'stopped'; reason: 'step-limit' | 'superseded'; steps: number; message: string }
  | { type: 'error'; code: string; message: string; status?: number; retryAfterSeconds?: number };

export function textPart(text: string): Part {
  return {
    content: { $case: 'text', value: text },
    mediaType: 'text/plain',
    filename: '',
    metadata: undefined,
  };
}

export function dataPart(value: AgentData | Record<string, unknown>): Part {
  return {
    content: { $case: 'data', value },
    mediaType: 'application/json',
    filename: '',
    metadata: undefined,
  };
}

export function agentMessage(taskId: string, contextId: string, parts: Part[]): Message {
  return {
    messageId: randomUUID(),
    taskId,
    contextId,
    role: Role.ROLE_AGENT,
    parts,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

export function statusEvent(
  taskId: string,
  contextId: string,
  state: TaskState,
  parts?: Part[],
): AgentExecutionEvent {
  return AgentEvent.statusUpdate({
    taskId,
    contextId,
    status: {
      state,
      message: parts ? agentMessage(taskId, contextId, parts) : undefined,
      timestamp: new Date().toISOString(),
    },
    metadata: undefined,
  });
}

export function answerEvent(
  taskId: string,
  contextId: string,
  artifactId: string,
  text: string,
  opts: { append: boolean; lastChunk: boolean },
): AgentExecutionEvent {
  return AgentEvent.artifactUpdate({
    taskId,
    contextId,
    artifact: {
      artifactId,
      name: 'answer',
      description: "The agent's answer",
      parts: [textPart(text)],
      metadata: undefined,
      extensions: [],
    },
    append: opts.append,
    lastChunk: opts.lastChunk,
    metadata: undefined,
  });
}

export interface ApprovalAnswer {
  id: string;
  approve: boolean;
}

export interface UserInput {
  text: string;
  approval?: ApprovalAnswer;
}

/** What a user's message says: its text, and an approval answer if it carries one. */
export function readUserMessage(message: Message): UserInput {
  const texts: string[] = [];
  let approval: ApprovalAnswer | undefined;
  for (const part of message.parts ?? []) {
    const c = part.content;
    if (c?.$case === 'text') texts.push(c.value);
    else if (c?.$case === 'data' && c.value && typeof c.value === 'object' && !approval) {
      const v = c.value as { approval?: unknown; id?: unknown };
      if ((v.approval === 'approve' || v.approval === 'deny') && typeof v.id === 'string')
        approval = { id: v.id, approve: v.approval === 'approve' };
    }
  }
  return { text: texts.join('\n').trim(), ...(approval ? { approval } : {}) };
}
