// @ts-check
/**
 * What the page knows of a conversation, and how A2A events change it. Pure data (kept in
 * sessionStorage); views render it. Every change is keyed by id, so an event applied twice — streamed
 * live and then replayed from GetTask's history — leaves the same state.
 *
 * An agent turn is one A2A task: its answer text (streamed as `answer-N` artifact chunks), its tool calls
 * and approval requests (data parts of status messages), and its end. `flow` is the order to show them
 * in: text segments (offsets into `text`) between the tool cards and approval cards.
 */

/**
 * @typedef {'ok' | 'error' | 'not_run'} ToolOutcome
 * @typedef {{ id: string, tool: string, action?: string, params: Record<string, unknown>,
 *   status: 'running' | 'awaiting' | ToolOutcome | 'interrupted', summary?: string, preview?: string,
 *   ms?: number, progress?: { progress: number, total?: number, message?: string } }} ToolCall
 * @typedef {{ id: string, toolCallId?: string, tool: string, action?: string, params: Record<string, unknown>,
 *   question: string, expiresAt?: string,
 *   status: 'pending' | 'sending' | 'approved' | 'denied' | 'expired' | 'superseded' | 'cancelled' | 'closed',
 *   decision?: 'approve' | 'deny', reason?: string }} Approval
 * @typedef {{ kind: 'text', start: number } | { kind: 'tool', id: string } | { kind: 'approval', id: string }} FlowItem
 * @typedef {'sending' | 'submitted' | 'working' | 'input-required' | 'completed' | 'failed' | 'canceled' | 'lost'} TurnState
 * @typedef {{ code: string, message: string, retryAfterSeconds?: number, at?: number }} TurnError
 * @typedef {{ kind: 'user', id: string, text: string, at: number }} UserTurn
 * @typedef {{ kind: 'agent', id: string, taskId?: string, state: TurnState, text: string, flow: FlowItem[],
 *   tools: Record<string, ToolCall>, approvals: Record<string, Approval>, error?: TurnError,
 *   stopped?: { reason: string, message: string }, notice?: string, request: string, at: number }} AgentTurn
 * @typedef {UserTurn | AgentTurn} Turn
 * @typedef {{ id: string, contextId?: string, title: string, createdAt: number, updatedAt: number, turns: Turn[] }} Thread
 */

const STATES = /** @type {Record<string, TurnState>} */ ({
  TASK_STATE_SUBMITTED: 'submitted',
  TASK_STATE_WORKING: 'working',
  TASK_STATE_INPUT_REQUIRED: 'input-required',
  TASK_STATE_AUTH_REQUIRED: 'input-required',
  TASK_STATE_COMPLETED: 'completed',
  TASK_STATE_FAILED: 'failed',
  TASK_STATE_CANCELED: 'canceled',
  TASK_STATE_REJECTED: 'failed',
});

/** @param {TurnState} state */
export function isFinal(state) {
  return state === 'completed' || state === 'failed' || state === 'canceled' || state === 'lost';
}

/** @param {AgentTurn} turn */
export function isStreaming(turn) {
  return turn.state === 'sending' || turn.state === 'submitted' || turn.state === 'working';
}

/** @param {AgentTurn} turn */
export function pendingApprovals(turn) {
  return Object.values(turn.approvals).filter((a) => a.status === 'pending' || a.status === 'sending');
}

export function newId() {
  return crypto.randomUUID();
}

/**
 * @param {string} text
 * @returns {AgentTurn}
 */
export function agentTurn(text) {
  return {
    kind: 'agent',
    id: newId(),
    state: 'sending',
    text: '',
    flow: [],
    tools: {},
    approvals: {},
    request: text,
    at: Date.now(),
  };
}

/**
 * @param {AgentTurn} turn
 * @param {string} piece
 */
export function appendText(turn, piece) {
  if (!piece) return;
  const last = turn.flow[turn.flow.length - 1];
  if (last?.kind !== 'text') turn.flow.push({ kind: 'text', start: turn.text.length });
  turn.text += piece;
}

/**
 * The whole answer so far (a non-appending chunk, or the end): keeps the segments when it only adds.
 * @param {AgentTurn} turn
 * @param {string} full
 */
export function replaceText(turn, full) {
  if (full === turn.text) return;
  if (full.startsWith(turn.text)) {
    appendText(turn, full.slice(turn.text.length));
    return;
  }
  const firstText = turn.flow.findIndex((f) => f.kind === 'text');
  turn.flow = turn.flow.filter((f) => f.kind !== 'text');
  turn.flow.splice(firstText < 0 ? turn.flow.length : Math.min(firstText, turn.flow.length), 0, {
    kind: 'text',
    start: 0,
  });
  turn.text = full;
}

/**
 * The text of each text segment, in flow order.
 * @param {AgentTurn} turn
 * @returns {Map<number, string>} flow index → text
 */
export function segments(turn) {
  /** @type {Map<number, string>} */
  const out = new Map();
  const starts = turn.flow.flatMap((f, i) => (f.kind === 'text' ? [{ i, start: f.start }] : []));
  starts.forEach(({ i, start }, n) => {
    const end = starts[n + 1]?.start ?? turn.text.length;
    out.set(i, turn.text.slice(start, end).replace(/^\n+/, '').replace(/\s+$/, ''));
  });
  return out;
}

/**
 * The turn's card for the tool call `d` names, added in the order calls arrive.
 * @param {AgentTurn} turn
 * @param {any} d a tool-call or tool-result data part's value
 * @returns {string} the card's id
 */
function toolEntry(turn, d) {
  const id = String(d.id);
  if (!turn.tools[id]) {
    turn.tools[id] = {
      id,
      tool: String(d.tool),
      action: d.action,
      params: d.params ?? {},
      status: 'running',
    };
    turn.flow.push({ kind: 'tool', id });
  }
  return id;
}

/**
 * @param {AgentTurn} turn
 * @param {any} d a data part's value
 */
export function applyData(turn, d) {
  if (!d || typeof d !== 'object' || typeof d.type !== 'string') return;
  switch (d.type) {
    case 'tool-call':
      toolEntry(turn, d);
      return;
    case 'tool-progress': {
      const t = turn.tools[String(d.id)];
      if (t) t.progress = { progress: Number(d.progress), total: d.total, message: d.message };
      return;
    }
    case 'tool-result': {
      const id = toolEntry(turn, d);
      Object.assign(turn.tools[id], { status: d.outcome, summary: d.summary, preview: d.preview, ms: d.ms });
      return;
    }
    case 'approval-request': {
      const id = String(d.id);
      if (!turn.approvals[id]) {
        turn.approvals[id] = {
          id,
          toolCallId: d.toolCallId,
          tool: String(d.tool),
          action: d.action,
          params: d.params ?? {},
          question: String(d.question ?? ''),
          expiresAt: d.expiresAt,
          status: 'pending',
        };
        turn.flow.push({ kind: 'approval', id });
      }
      const tool = d.toolCallId ? turn.tools[d.toolCallId] : undefined;
      if (tool?.status === 'running') tool.status = 'awaiting';
      return;
    }
    case 'approval-result': {
      const a = turn.approvals[String(d.id)];
      if (!a) return;
      a.status = ['approved', 'denied', 'expired', 'superseded', 'cancelled'].includes(d.outcome)
        ? d.outcome
        : 'closed';
      if (d.reason) a.reason = d.reason;
      const tool = a.toolCallId ? turn.tools[a.toolCallId] : undefined;
      if (tool?.status === 'awaiting') tool.status = a.status === 'approved' ? 'running' : 'not_run';
      return;
    }
    case 'stopped':
      turn.stopped = { reason: String(d.reason), message: String(d.message ?? '') };
      return;
    case 'error':
      turn.error = {
        code: String(d.code),
        message: String(d.message ?? 'The agent failed.'),
        retryAfterSeconds: d.retryAfterSeconds,
        at: Date.now(),
      };
      return;
  }
}

/**
 * @param {any} message an A2A message
 * @returns {{ texts: string[], data: any[] }}
 */
function partsOf(message) {
  /** @type {string[]} */
  const texts = [];
  /** @type {any[]} */
  const data = [];
  for (const p of message?.parts ?? []) {
    if (typeof p?.text === 'string') texts.push(p.text);
    else if (p?.data !== undefined) data.push(p.data);
  }
  return { texts, data };
}

/**
 * A task's status (live, or the last one GetTask reports).
 * @param {AgentTurn} turn
 * @param {any} status
 */
export function applyStatus(turn, status) {
  const state = STATES[status?.state];
  if (!state) return;
  const { texts, data } = partsOf(status.message);
  for (const d of data) applyData(turn, d);
  turn.state = state;
  const text = texts.join('\n');
  if (state === 'completed' && text) replaceText(turn, text);
  else if (state === 'canceled') turn.notice = text || 'Cancelled.';
  else if (state === 'failed' && !turn.error)
    turn.error = { code: 'agent_error', message: text || 'The request failed.', at: Date.now() };
  else if (state === 'working' && text && data.length === 0) turn.notice = text;
  if (isFinal(state)) settle(turn);
}

/**
 * The end of a task: nothing still runs or waits under it.
 * @param {AgentTurn} turn
 */
export function settle(turn) {
  for (const a of Object.values(turn.approvals))
    if (a.status === 'pending' || a.status === 'sending') {
      a.status = 'closed';
      a.reason ??= 'the request is no longer open';
    }
  for (const t of Object.values(turn.tools))
    if (t.status === 'running' || t.status === 'awaiting') t.status = 'interrupted';
}

/**
 * One streamed result: a task snapshot, a status update or an answer chunk.
 * @param {AgentTurn} turn
 * @param {any} result
 * @returns {{ contextId?: string }}
 */
export function applyResult(turn, result) {
  if (!result || typeof result !== 'object') return {};
  if (result.task) {
    const task = result.task;
    turn.taskId = task.id;
    const state = STATES[task.status?.state];
    if (state && !isFinal(state)) turn.state = state;
    return { contextId: task.contextId };
  }
  if (result.statusUpdate) {
    turn.taskId ??= result.statusUpdate.taskId;
    applyStatus(turn, result.statusUpdate.status);
    return { contextId: result.statusUpdate.contextId };
  }
  if (result.artifactUpdate) {
    const a = result.artifactUpdate;
    const piece = (a.artifact?.parts ?? []).map((/** @type {any} */ p) => p?.text ?? '').join('');
    if (a.append) appendText(turn, piece);
    else replaceText(turn, piece);
    return {};
  }
  if (result.message) {
    const { texts } = partsOf(result.message);
    if (texts.length) replaceText(turn, texts.join('\n'));
    turn.state = 'completed';
  }
  return {};
}

/**
 * A task as GetTask gives it: its history's status messages replayed, the answer from its artifacts,
 * then its current status.
 * @param {AgentTurn} turn
 * @param {any} task
 */
export function applyTask(turn, task) {
  turn.taskId = task.id;
  for (const m of task.history ?? []) {
    if (m.role !== 'ROLE_AGENT') continue;
    for (const d of partsOf(m).data) applyData(turn, d);
  }
  const answer = (task.artifacts ?? [])
    .filter((/** @type {any} */ a) => String(a.artifactId).startsWith('answer-'))
    .map((/** @type {any} */ a) => (a.parts ?? []).map((/** @type {any} */ p) => p?.text ?? '').join(''))
    .join('\n\n');
  if (answer) replaceText(turn, answer);
  applyStatus(turn, task.status);
}
