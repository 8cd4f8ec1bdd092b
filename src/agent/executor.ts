/**
 * The A2A side of the agent: an `AgentExecutor` for the SDK's `DefaultRequestHandler`. A task's work is a
 * `TaskRun` that lives beside the SDK's calls: `execute` starts one (or hands a follow-up message to the
 * one waiting for approval) and returns at its next stop — waiting for a person (input-required) or
 * finished — so the SDK settles its event bus and stream the usual way.
 *
 * Mapping: the answer text streams as `answer-N` artifact chunks (append); each tool call, its progress
 * and result is a working status update with a text part and a data part; an approval request is an
 * input-required status; the end is completed (answer), failed (the model's error in words) or canceled.
 * Events published while no SDK call is consuming them (an approval that expired) are persisted here.
 */
import type { Message, TaskState as TaskStateT } from '@a2a-js/sdk';
import { TaskState } from '@a2a-js/sdk';
import {
  AgentEvent,
  type AgentExecutionEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
  ResultManager,
  type ServerCallContext,
  type TaskStore,
} from '@a2a-js/sdk/server';
import type { LanguageModel } from 'ai';
import type { Logger } from '../core/logger.js';
import { answerEvent, dataPart, readUserMessage, statusEvent, textPart } from './a2a-messages.js';
import { ApprovalQueue, type ApprovalRequest, type Decision } from './approvals.js';
import type { Conversations } from './conversations.js';
import type { AgentMcp } from './mcp-connection.js';
import { systemPrompt } from './prompt.js';
import { runTurn, type TurnOutcome } from './turn.js';

export interface ExecutorOptions {
  model: LanguageModel;
  modelWhere: string;
  mcp: AgentMcp;
  taskStore: TaskStore;
  conversations: Conversations;
  maxSteps: number;
  maxRetries: number;
  toolTimeoutMs: number;
  approvalTimeoutMs: number;
  logger: Logger;
}

/** Text deltas go out at once when the stream is quiet, else batched every FLUSH_MS (fewer events). */
const FLUSH_MS = 40;

class TaskRun {
  readonly taskId: string;
  readonly contextId: string;
  readonly approvals: ApprovalQueue;
  readonly #opts: ExecutorOptions;
  readonly #controller = new AbortController();
  readonly #inputs: string[] = [];
  readonly #waiters: Array<() => void> = [];
  #bus: ExecutionEventBus | undefined;
  #context: ServerCallContext;
  /** An SDK call is consuming this task's events (and persisting them). */
  #attached = false;
  #persisting: Promise<void> = Promise.resolve();
  #closed = false;
  #superseded = false;
  #pumping = false;
  #turn = 0;
  readonly #onEnd: () => void;
  // The answer text of the current turn, and what of it has gone out.
  #text = '';
  #sent = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #lastFlush = 0;

  constructor(
    taskId: string,
    contextId: string,
    context: ServerCallContext,
    opts: ExecutorOptions,
    onEnd: () => void,
  ) {
    this.taskId = taskId;
    this.contextId = contextId;
    this.#context = context;
    this.#opts = opts;
    this.#onEnd = onEnd;
    this.approvals = new ApprovalQueue(opts.approvalTimeoutMs, {
      opened: (r) => this.#approvalOpened(r),
      settled: (r, d) => this.#approvalSettled(r, d),
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Working (not waiting for a person): a new message would have to wait. */
  get busy(): boolean {
    return !this.#closed && this.approvals.open === undefined;
  }

  attach(bus: ExecutionEventBus, context: ServerCallContext): void {
    this.#bus = bus;
    this.#context = context;
    this.#attached = true;
  }

  /** Resolves at the run's next stop: waiting for a person, or finished. */
  nextStop(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Queues the user's words and makes sure the loop runs. */
  enqueue(text: string): void {
    this.#inputs.push(text);
    if (!this.#pumping) void this.#pump();
  }

  /** The user moved on: decline what waits for approval, and finish after the current step. */
  supersede(reason: string): void {
    this.#superseded = true;
    this.approvals.declineAll('superseded', reason);
  }

  /** Puts the open approval request to the person again (after an answer to a stale one). */
  askAgain(note: string): void {
    const open = this.approvals.open;
    if (!open || this.#closed) return;
    this.#status(TaskState.TASK_STATE_WORKING, [textPart(note)]);
    this.#approvalOpened(open);
  }

  /** Stops everything without a word (shutdown). */
  abort(): void {
    this.#controller.abort(new Error('the agent is shutting down'));
    this.approvals.declineAll('cancelled', 'the agent is shutting down');
  }

  cancel(bus: ExecutionEventBus): void {
    if (this.#closed) {
      return;
    }
    this.#bus = bus;
    this.#attached = true;
    this.#flushText(true);
    this.#end(TaskState.TASK_STATE_CANCELED, [textPart('Cancelled. Anything still running was stopped.')]);
    this.#controller.abort(new Error('the task was cancelled'));
    this.approvals.declineAll('cancelled', 'the task was cancelled');
  }

  #publish(event: AgentExecutionEvent): void {
    if (this.#closed) return;
    this.#bus?.publish(event);
    if (!this.#attached) {
      // Nobody is consuming (the last request ended at an approval that then expired): persist here, in order.
      const rm = new ResultManager(this.#opts.taskStore, this.#context);
      this.#persisting = this.#persisting.then(() => rm.processEvent(event)).catch(() => undefined);
    }
  }

  #status(state: TaskStateT, parts?: Parameters<typeof statusEvent>[3]): void {
    this.#publish(statusEvent(this.taskId, this.contextId, state, parts));
  }

  /** A stop: input-required or terminal. The consuming SDK call ends with it. */
  #stop(): void {
    this.#attached = false;
    for (const w of this.#waiters.splice(0)) w();
  }

  #end(state: TaskStateT, parts: Parameters<typeof statusEvent>[3]): void {
    this.#status(state, parts);
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    this.#stop();
    this.#onEnd();
  }

  #artifactId(): string {
    return `answer-${this.#turn}`;
  }

  #flushText(final = false): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const chunk = this.#text.slice(this.#sent);
    if (!chunk && !(final && this.#sent > 0)) return;
    if (final && this.#sent > 0) {
      // The last chunk replaces the pieces with the whole answer (one part, easy to read later).
      this.#publish(
        answerEvent(this.taskId, this.contextId, this.#artifactId(), this.#text, {
          append: false,
          lastChunk: true,
        }),
      );
    } else {
      this.#publish(
        answerEvent(this.taskId, this.contextId, this.#artifactId(), chunk, {
          append: this.#sent > 0,
          lastChunk: final,
        }),
      );
    }
    this.#sent = this.#text.length;
    this.#lastFlush = Date.now();
  }

  #onText(delta: string): void {
    this.#text += delta;
    if (this.#flushTimer) return;
    const wait = FLUSH_MS - (Date.now() - this.#lastFlush);
    if (wait <= 0) this.#flushText();
    else this.#flushTimer = setTimeout(() => this.#flushText(), wait);
  }

  #approvalOpened(r: ApprovalRequest): void {
    if (this.#closed) return;
    this.#flushText();
    const what = r.action ? `${r.tool}.${r.action}` : r.tool;
    this.#status(TaskState.TASK_STATE_INPUT_REQUIRED, [
      textPart(
        `Approval needed — ${r.question}${r.question.includes(what) ? '' : ` (${what})`}. Approve or deny.`,
      ),
      dataPart({
        type: 'approval-request',
        id: r.id,
        toolCallId: r.toolCallId,
        tool: r.tool,
        action: r.action,
        params: r.params,
        question: r.question,
        expiresAt: r.expiresAt,
        answer: { approve: { approval: 'approve', id: r.id }, deny: { approval: 'deny', id: r.id } },
      }),
    ]);
    this.#stop();
  }

  #approvalSettled(r: ApprovalRequest, d: Decision): void {
    if (this.#closed || d.outcome === 'cancelled') return;
    const words =
      d.outcome === 'approved'
        ? `Approved: ${r.question}. Running it.`
        : `Not run (${d.reason}): ${r.question}.`;
    this.#status(TaskState.TASK_STATE_WORKING, [
      textPart(words),
      dataPart({
        type: 'approval-result',
        id: r.id,
        outcome: d.outcome,
        ...(d.outcome === 'approved' ? {} : { reason: d.reason }),
      }),
    ]);
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (!this.#closed && this.#inputs.length) {
        const input = this.#inputs.shift()!;
        this.#superseded = false;
        const outcome = await this.#runOne(input);
        if (this.#closed) return;
        this.#finishTurn(outcome, this.#inputs.length > 0);
      }
    } catch (err) {
      this.#opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'turn failed');
      if (!this.#closed)
        this.#end(TaskState.TASK_STATE_FAILED, [
          textPart('The agent failed unexpectedly; nothing more was done.'),
          dataPart({ type: 'error', code: 'agent_error', message: 'The agent failed unexpectedly.' }),
        ]);
    } finally {
      this.#pumping = false;
    }
  }

  async #runOne(input: string): Promise<TurnOutcome> {
    this.#turn++;
    this.#text = '';
    this.#sent = 0;
    const key = conversationKey(this.#context, this.contextId);
    const o = this.#opts;
    return runTurn({
      model: o.model,
      modelWhere: o.modelWhere,
      mcp: o.mcp,
      instructions: systemPrompt(o.mcp.tools()),
      history: o.conversations.history(key),
      input,
      maxSteps: o.maxSteps,
      maxRetries: o.maxRetries,
      toolTimeoutMs: o.toolTimeoutMs,
      signal: this.#controller.signal,
      approvals: this.approvals,
      superseded: () => this.#superseded,
      logger: o.logger,
      sink: {
        text: (d) => this.#onText(d),
        toolCall: (c) => {
          this.#flushText();
          const what = c.action ? `${c.tool}.${c.action}` : c.tool;
          this.#status(TaskState.TASK_STATE_WORKING, [
            textPart(`Calling ${what}${describeParams(c.params)}`),
            dataPart({ type: 'tool-call', id: c.id, tool: c.tool, action: c.action, params: c.params }),
          ]);
        },
        toolProgress: (id, p) => {
          // The MCP client reports its own confirmation rounds as progress; those are not the tool's.
          if (p.message?.startsWith('Fulfilling input required')) return;
          this.#status(TaskState.TASK_STATE_WORKING, [dataPart({ type: 'tool-progress', id, ...p })]);
        },
        toolResult: (r) => {
          const what = r.action ? `${r.tool}.${r.action}` : r.tool;
          this.#status(TaskState.TASK_STATE_WORKING, [
            textPart(`${what}: ${r.summary}`),
            dataPart({
              type: 'tool-result',
              id: r.id,
              tool: r.tool,
              action: r.action,
              outcome: r.outcome,
              summary: r.summary,
              preview: r.preview,
              ms: r.ms,
            }),
          ]);
        },
      },
    });
  }

  #finishTurn(outcome: TurnOutcome, more: boolean): void {
    const key = conversationKey(this.#context, this.contextId);
    if (outcome.kind === 'cancelled') return;
    if (outcome.kind === 'failed') {
      this.#flushText(true);
      const p = outcome.problem;
      this.#end(TaskState.TASK_STATE_FAILED, [
        textPart(p.message),
        dataPart({
          type: 'error',
          code: p.code,
          message: p.message,
          ...(p.status !== undefined ? { status: p.status } : {}),
          ...(p.retryAfterSeconds !== undefined ? { retryAfterSeconds: p.retryAfterSeconds } : {}),
        }),
      ]);
      return;
    }
    this.#opts.conversations.append(key, outcome.messages);
    const note = outcome.kind === 'answered' ? undefined : outcome.reason;
    if (note) this.#onText(`${this.#text ? '\n\n' : ''}${note}`);
    this.#flushText(true);
    if (more) return;
    const parts = [textPart(this.#text || 'Done.')];
    if (outcome.kind === 'step-limit' || outcome.kind === 'superseded')
      parts.push(
        dataPart({
          type: 'stopped',
          reason: outcome.kind,
          steps: outcome.steps,
          message: outcome.reason,
        }),
      );
    this.#end(TaskState.TASK_STATE_COMPLETED, parts);
  }
}

function describeParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params);
  if (!entries.length) return '';
  const text = entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  return ` (${text.length > 200 ? `${text.slice(0, 200)}…` : text})`;
}

function conversationKey(context: ServerCallContext, contextId: string): string {
  return JSON.stringify([context.tenant ?? '', context.user?.userName ?? '', contextId]);
}

export class DockerHubAgentExecutor implements AgentExecutor {
  readonly #opts: ExecutorOptions;
  readonly #runs = new Map<string, TaskRun>();

  constructor(opts: ExecutorOptions) {
    this.#opts = opts;
  }

  /** Whether the task is working right now (a new message to it must wait or cancel it). */
  isBusy(taskId: string | undefined): boolean {
    return taskId !== undefined && this.#runs.get(taskId)?.busy === true;
  }

  /** Tasks with a run in memory (working, or waiting for a person). */
  get active(): number {
    return this.#runs.size;
  }

  execute = async (ctx: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const message: Message = ctx.userMessage;
    const input = readUserMessage(message);
    const existing = this.#runs.get(ctx.taskId);
    const now = new Date().toISOString();
    const snapshot = ctx.task
      ? { ...ctx.task, status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: now } }
      : {
          id: ctx.taskId,
          contextId: ctx.contextId,
          status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: now },
          artifacts: [],
          history: [message],
          metadata: undefined,
        };
    bus.publish(AgentEvent.task(snapshot));

    if (existing && !existing.closed) {
      existing.attach(bus, ctx.context);
      const open = existing.approvals.open;
      if (input.approval && open && input.approval.id === open.id) {
        existing.approvals.answer(open.id, input.approval.approve);
      } else if (input.approval && open) {
        // An answer to a request that is no longer open: ask again about the open one.
        existing.askAgain('That approval request is no longer open; nothing was run for it.');
      } else {
        existing.supersede('a new message arrived instead of an answer');
        if (input.text) existing.enqueue(input.text);
      }
      await existing.nextStop();
      return;
    }

    if (input.approval && !input.text) {
      bus.publish(
        statusEvent(ctx.taskId, ctx.contextId, TaskState.TASK_STATE_COMPLETED, [
          textPart('That approval request is no longer open (it expired or was answered); nothing was run.'),
        ]),
      );
      return;
    }
    // A new request in a conversation declines what its earlier requests still wait for.
    for (const run of this.#runs.values())
      if (run.contextId === ctx.contextId && run.approvals.open)
        run.supersede('a new message in the conversation arrived instead of an answer');

    const run = new TaskRun(ctx.taskId, ctx.contextId, ctx.context, this.#opts, () =>
      this.#runs.delete(ctx.taskId),
    );
    this.#runs.set(ctx.taskId, run);
    run.attach(bus, ctx.context);
    bus.publish(statusEvent(ctx.taskId, ctx.contextId, TaskState.TASK_STATE_WORKING));
    run.enqueue(input.text || '(empty message)');
    await run.nextStop();
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const run = this.#runs.get(taskId);
    if (run) {
      run.cancel(bus);
      return;
    }
    // No run in memory (it ended, or waits in the store only): mark it cancelled all the same.
    bus.publish(statusEvent(taskId, '', TaskState.TASK_STATE_CANCELED, [textPart('Cancelled.')]));
  };

  /** Stops every run (shutdown). */
  abortAll(): void {
    for (const run of this.#runs.values()) run.abort();
  }
}
