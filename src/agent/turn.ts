/**
 * One turn of the agent: the user's words, the conversation so far, and the model in a loop on the AI SDK
 * (`streamText`) with the MCP tools, bounded in steps. What happens is reported as it happens — each
 * piece of answer text, each tool call, its progress and result, each approval the server asks for — and
 * the turn ends with one outcome: answered, stopped at the step bound (saying so), stopped because the
 * user moved on, failed (the model's error in words), or cancelled.
 */
import type { ElicitRequestParams, ElicitResult } from '@modelcontextprotocol/client';
import {
  isStepCount,
  type LanguageModel,
  type ModelMessage,
  type StopCondition,
  streamText,
  type ToolSet,
} from 'ai';
import type { Logger } from '../core/logger.js';
import type { ApprovalQueue } from './approvals.js';
import type { AgentMcp } from './mcp-connection.js';
import { describeModelError, type ModelProblem } from './model-errors.js';
import { type ToolCallView, type ToolResultView, toolSet } from './tools.js';

export interface TurnSink {
  text(delta: string): void;
  toolCall(call: ToolCallView): void;
  toolProgress(id: string, progress: { progress: number; total?: number; message?: string }): void;
  toolResult(result: ToolResultView): void;
}

export interface TurnInput {
  model: LanguageModel;
  /** Where the model is, for error messages. */
  modelWhere: string;
  mcp: AgentMcp;
  instructions: string;
  history: readonly ModelMessage[];
  input: string;
  maxSteps: number;
  maxRetries: number;
  toolTimeoutMs: number;
  signal: AbortSignal;
  approvals: ApprovalQueue;
  /** True once the user sent something else: finish the current step, call the model no more. */
  superseded(): boolean;
  sink: TurnSink;
  logger: Logger;
}

export type TurnOutcome =
  | { kind: 'answered'; text: string; steps: number; messages: ModelMessage[] }
  | { kind: 'step-limit'; text: string; steps: number; reason: string; messages: ModelMessage[] }
  | { kind: 'superseded'; text: string; steps: number; reason: string; messages: ModelMessage[] }
  | { kind: 'failed'; text: string; steps: number; problem: ModelProblem }
  | { kind: 'cancelled'; text: string; steps: number };

/** Whether an elicitation is the server's confirmation form (one boolean `confirm`). */
function isConfirmation(request: ElicitRequestParams): boolean {
  const schema = (request as { requestedSchema?: { properties?: Record<string, { type?: string }> } })
    .requestedSchema;
  return schema?.properties?.confirm?.type === 'boolean';
}

async function confirm(
  input: TurnInput,
  call: ToolCallView,
  request: ElicitRequestParams,
): Promise<ElicitResult> {
  // The agent fills in no forms of its own: only a person's yes to a confirmation runs anything.
  if (!isConfirmation(request)) return { action: 'decline' };
  const decision = await input.approvals.ask(
    {
      question: String(request.message ?? ''),
      tool: call.tool,
      action: call.action,
      params: call.params,
      toolCallId: call.id,
    },
    input.signal,
  );
  input.logger.info({ tool: call.tool, action: call.action, outcome: decision.outcome }, 'approval');
  if (decision.outcome === 'approved') return { action: 'accept', content: { confirm: true } };
  return { action: decision.outcome === 'cancelled' ? 'cancel' : 'decline' };
}

export async function runTurn(input: TurnInput): Promise<TurnOutcome> {
  const tools: ToolSet = toolSet(input.mcp, {
    signal: input.signal,
    timeoutMs: input.toolTimeoutMs,
    onCall: (c) => input.sink.toolCall(c),
    onProgress: (id, p) => input.sink.toolProgress(id, p),
    onResult: (r) => input.sink.toolResult(r),
    onElicit: (call, request) => confirm(input, call, request),
  });
  const stopWhen: StopCondition<ToolSet>[] = [isStepCount(input.maxSteps), () => input.superseded()];
  const user: ModelMessage = { role: 'user', content: input.input };
  let text = '';
  let stepHadText = false;
  let failure: unknown;
  const result = streamText({
    model: input.model,
    instructions: input.instructions,
    messages: [...input.history, user],
    tools,
    stopWhen,
    maxRetries: input.maxRetries,
    abortSignal: input.signal,
    // The default logs the whole request (the conversation) to the console; errors are handled below.
    onError: () => {},
  });
  let steps = 0;
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'start-step') {
        steps++;
        stepHadText = false;
      } else if (part.type === 'text-delta' && part.text) {
        // Text from an earlier step (before a tool call) and the next step's text are two paragraphs.
        const sep = !stepHadText && text && !text.endsWith('\n') ? '\n\n' : '';
        stepHadText = true;
        text += sep + part.text;
        input.sink.text(sep + part.text);
      } else if (part.type === 'error') failure = part.error;
    }
  } catch (err) {
    failure ??= err;
  }
  if (input.signal.aborted) return { kind: 'cancelled', text, steps };
  if (failure !== undefined) {
    const problem = describeModelError(failure, input.modelWhere);
    input.logger.warn({ code: problem.code, status: problem.status }, 'model call failed');
    return { kind: 'failed', text, steps, problem };
  }
  const [finishReason, response] = await Promise.all([result.finishReason, result.responseMessages]);
  const messages: ModelMessage[] = [user, ...(response as ModelMessage[])];
  if (finishReason === 'tool-calls' && input.superseded())
    return {
      kind: 'superseded',
      text,
      steps,
      messages,
      reason:
        'Stopped here: a new message arrived before this request was finished, so nothing more was done for it.',
    };
  if (finishReason === 'tool-calls' && steps >= input.maxSteps)
    return {
      kind: 'step-limit',
      text,
      steps,
      messages,
      reason: `Stopped after ${steps} steps, the limit for one request (AGENT_MAX_STEPS=${input.maxSteps}), before finishing. Send "continue" to go on from here.`,
    };
  return { kind: 'answered', text, steps, messages };
}
