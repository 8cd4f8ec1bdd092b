// @ts-check
/**
 * The conversation on screen: user messages, agent turns (answer text as safe Markdown, tool cards,
 * approval cards, errors), and the list of conversations. Views are built once per turn and updated in
 * place as events arrive, so an open tool card stays open and a focused button keeps its focus.
 */
import { h, icon } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { isStreaming, segments } from './turns.js';

/**
 * @typedef {import('./turns.js').Thread} Thread
 * @typedef {import('./turns.js').Turn} Turn
 * @typedef {import('./turns.js').AgentTurn} AgentTurn
 * @typedef {import('./turns.js').ToolCall} ToolCall
 * @typedef {import('./turns.js').Approval} Approval
 * @typedef {{
 *   approve(turn: AgentTurn, approval: Approval, decision: 'approve' | 'deny'): void,
 *   retry(turn: AgentTurn): void,
 *   continue(turn: AgentTurn): void,
 *   toolName(tool: string): string,
 * }} TurnHandlers
 */

/** @param {unknown} v */
function valueText(v) {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

/**
 * Parameters as a definition list (the tool and action first, when given).
 * @param {Array<[string, unknown]>} entries
 */
function paramList(entries) {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of entries) {
    dl.append(h('dt', { text: k }), h('dd', {}, h('code', { text: valueText(v) })));
  }
  return dl;
}

/** @param {Record<string, unknown>} params */
function shortParams(params) {
  const text = Object.values(params)
    .filter((v) => v !== undefined && v !== null && typeof v !== 'object')
    .map((v) => String(v))
    .join(' · ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** @param {string} preview */
function prettyJson(preview) {
  try {
    return JSON.stringify(JSON.parse(preview), null, 2);
  } catch {
    return preview;
  }
}

/** @param {number | undefined} ms */
function duration(ms) {
  if (ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const TOOL_STATUS = /** @type {Record<ToolCall['status'], string>} */ ({
  running: 'Running…',
  awaiting: 'Waiting for your approval',
  ok: 'Done',
  error: 'Failed',
  not_run: 'Not run',
  interrupted: 'Stopped',
});

/** @param {ToolCall['status']} status */
function toolIcon(status) {
  if (status === 'ok') return icon('check');
  if (status === 'error') return icon('cross');
  if (status === 'not_run' || status === 'interrupted') return icon('skip');
  if (status === 'awaiting') return icon('shield');
  return h('span', { class: 'spinner', 'aria-hidden': 'true' });
}

class ToolCardView {
  /**
   * @param {ToolCall} call
   * @param {TurnHandlers} handlers
   */
  constructor(call, handlers) {
    this.status = h('span', { class: 'tool-status' });
    this.icon = h('span', { class: 'tool-icon' });
    this.summaryLine = h('p', { class: 'tool-summary' });
    this.progress = h('div', { class: 'tool-progress', hidden: true });
    this.result = h('details', { class: 'tool-result', hidden: true });
    this.resultCode = h('code');
    this.result.append(h('summary', { text: 'Result data' }), h('pre', {}, this.resultCode));
    const title = handlers.toolName(call.tool);
    this.el = h(
      'details',
      { class: 'tool-card', 'data-tool-call': call.id },
      h(
        'summary',
        {},
        this.icon,
        h(
          'span',
          { class: 'tool-title' },
          h('span', { class: 'tool-name', text: title }),
          call.action ? h('span', { class: 'tool-action', text: call.action }) : null,
          h('span', { class: 'tool-params', text: shortParams(call.params) }),
        ),
        this.status,
        icon('chevron', 'chevron'),
      ),
      h(
        'div',
        { class: 'tool-body' },
        paramList([
          ['tool', call.tool],
          ...(call.action ? /** @type {Array<[string, unknown]>} */ ([['action', call.action]]) : []),
          ...Object.entries(call.params),
        ]),
        this.progress,
        this.summaryLine,
        this.result,
      ),
    );
    /** @type {string | undefined} */
    this.shown = undefined;
  }

  /** @param {ToolCall} call */
  update(call) {
    const key = JSON.stringify([call.status, call.summary, call.progress, call.ms]);
    if (key === this.shown) return;
    this.shown = key;
    this.el.dataset.status = call.status;
    this.icon.replaceChildren(toolIcon(call.status));
    const ms = duration(call.ms);
    this.status.textContent = `${TOOL_STATUS[call.status]}${ms ? ` · ${ms}` : ''}`;
    if (call.progress && (call.status === 'running' || call.status === 'awaiting')) {
      const p = call.progress;
      const bar = h('progress', { 'aria-label': 'Progress' });
      if (p.total) {
        bar.max = p.total;
        bar.value = Math.min(p.progress, p.total);
      }
      const words = p.message ?? (p.total ? `${p.progress} of ${p.total}` : `${p.progress}`);
      this.progress.replaceChildren(bar, h('span', { text: words }));
      this.progress.hidden = false;
    } else this.progress.hidden = true;
    if (call.summary) {
      this.summaryLine.replaceChildren(h('span', { class: 'label', text: 'Result ' }), call.summary);
      this.summaryLine.hidden = false;
    } else this.summaryLine.hidden = true;
    if (call.preview) {
      this.resultCode.textContent = prettyJson(call.preview);
      this.result.hidden = false;
    }
  }
}

const APPROVAL_OUTCOME = /** @type {Record<Approval['status'], string>} */ ({
  pending: '',
  sending: 'Sending your answer…',
  approved: 'Approved — it ran.',
  denied: 'Denied — nothing was changed.',
  expired: 'Expired — nobody answered in time, so nothing was changed.',
  superseded: 'Declined — a new message was sent instead, so nothing was changed.',
  cancelled: 'Cancelled — nothing was changed.',
  closed: 'No longer open — nothing was run for it.',
});

/** @param {number} seconds */
function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

let approvalSeq = 0;

class ApprovalCardView {
  /**
   * @param {AgentTurn} turn
   * @param {Approval} approval
   * @param {TurnHandlers} handlers
   */
  constructor(turn, approval, handlers) {
    const titleId = `approval-title-${++approvalSeq}`;
    this.approval = approval;
    this.expires = h('span', { class: 'expires' });
    this.outcome = h('p', { class: 'approval-outcome', role: 'status' });
    const answer = (/** @type {'approve' | 'deny'} */ decision) => () =>
      handlers.approve(turn, this.approval, decision);
    this.deny = h(
      'button',
      { type: 'button', class: 'btn btn-secondary', 'on:click': answer('deny') },
      icon('cross'),
      'Deny',
    );
    this.approve = h(
      'button',
      { type: 'button', class: 'btn btn-danger', 'on:click': answer('approve') },
      icon('check'),
      approval.action ? `Approve ${approval.action}` : 'Approve',
    );
    this.actions = h('div', { class: 'approval-actions' }, this.deny, this.approve);
    this.el = h(
      'section',
      { class: 'approval-card', tabindex: '-1', 'aria-labelledby': titleId, 'data-approval': approval.id },
      h(
        'header',
        {},
        icon('shield', 'approval-icon'),
        h('h3', { id: titleId, text: 'Approval needed' }),
        this.expires,
      ),
      h('p', { class: 'question', text: approval.question }),
      paramList([
        ['tool', approval.tool],
        ...(approval.action ? /** @type {Array<[string, unknown]>} */ ([['action', approval.action]]) : []),
        ...Object.entries(approval.params),
      ]),
      this.actions,
      this.outcome,
    );
    /** @type {string | undefined} */
    this.shown = undefined;
  }

  /**
   * @param {Approval} approval
   * @param {ToolCall | undefined} tool
   */
  update(approval, tool) {
    this.approval = approval;
    const key = JSON.stringify([
      approval.status,
      approval.decision,
      approval.reason,
      tool?.status,
      tool?.summary,
    ]);
    if (key !== this.shown) {
      this.shown = key;
      this.el.dataset.status = approval.status;
      const open = approval.status === 'pending';
      this.actions.hidden = !(open || approval.status === 'sending');
      this.deny.disabled = !open;
      this.approve.disabled = !open;
      let words = APPROVAL_OUTCOME[approval.status];
      if (approval.status === 'approved')
        words =
          tool?.status === 'ok'
            ? `Approved — done${tool.summary ? `: ${tool.summary}` : '.'}`
            : tool?.status === 'error'
              ? `Approved — but it failed: ${tool.summary ?? 'see the tool card'}`
              : 'Approved — running it…';
      else if (approval.status === 'sending')
        words = approval.decision === 'deny' ? 'Denying…' : 'Approving…';
      this.outcome.textContent = words;
      this.outcome.hidden = !words;
    }
    this.tick();
  }

  tick() {
    const a = this.approval;
    if (a.status !== 'pending' || !a.expiresAt) {
      this.expires.hidden = true;
      return;
    }
    const left = (Date.parse(a.expiresAt) - Date.now()) / 1000;
    this.expires.hidden = false;
    this.expires.replaceChildren(icon('clock'), left > 0 ? `expires in ${clock(left)}` : 'expired');
  }
}

const ERROR_TITLES = /** @type {Record<string, string>} */ ({
  model_rate_limited: 'The model is rate-limiting requests',
  model_server_error: 'The model server failed',
  model_unreachable: "Can't reach the model",
  model_timeout: 'The model did not answer in time',
  model_refused_key: 'The model refused its API key',
  model_bad_request: 'The model rejected the request',
  model_error: 'The model call failed',
  agent_unreachable: "Can't reach the agent",
  unauthorized: 'The agent needs its token',
  forbidden: 'The agent refused the request',
  rpc_error: 'The agent could not do that',
  lost: 'The answer was cut off',
});

class AgentTurnView {
  /**
   * @param {AgentTurn} turn
   * @param {TurnHandlers} handlers
   */
  constructor(turn, handlers) {
    this.handlers = handlers;
    this.turn = turn;
    this.flow = h('div', { class: 'flow' });
    this.typing = h(
      'div',
      { class: 'typing', role: 'status', 'aria-label': 'The agent is working' },
      h('span'),
      h('span'),
      h('span'),
    );
    this.notice = h('p', { class: 'notice', hidden: true });
    this.error = h('div', { class: 'error-card', role: 'alert', hidden: true });
    this.actions = h('div', { class: 'turn-actions', hidden: true });
    this.el = h(
      'li',
      { class: 'turn agent', 'data-turn': turn.id },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, h('img', { src: 'favicon.svg', alt: '' })),
      h(
        'div',
        { class: 'turn-body' },
        h('span', { class: 'sr-only', text: 'Agent:' }),
        this.flow,
        this.typing,
        this.notice,
        this.error,
        this.actions,
      ),
    );
    /** @type {Map<string, { el: HTMLElement, view?: ToolCardView | ApprovalCardView, text?: string }>} */
    this.items = new Map();
    /** @type {string | undefined} */
    this.errorShown = undefined;
  }

  /** @param {AgentTurn} turn */
  update(turn) {
    this.turn = turn;
    const texts = segments(turn);
    const streaming = isStreaming(turn);
    /** @type {Set<string>} */
    const keys = new Set();
    /** @type {HTMLElement | undefined} */
    let lastText;
    turn.flow.forEach((item, i) => {
      const key = item.kind === 'text' ? `text:${i}` : `${item.kind}:${item.id}`;
      keys.add(key);
      let entry = this.items.get(key);
      if (!entry) {
        if (item.kind === 'text') entry = { el: h('div', { class: 'answer md' }) };
        else if (item.kind === 'tool') {
          const view = new ToolCardView(/** @type {ToolCall} */ (turn.tools[item.id]), this.handlers);
          entry = { el: view.el, view };
        } else {
          const view = new ApprovalCardView(
            turn,
            /** @type {Approval} */ (turn.approvals[item.id]),
            this.handlers,
          );
          entry = { el: view.el, view };
        }
        this.items.set(key, entry);
      }
      if (this.flow.children[keys.size - 1] !== entry.el)
        this.flow.insertBefore(entry.el, this.flow.children[keys.size - 1] ?? null);
      if (item.kind === 'text') {
        const text = texts.get(i) ?? '';
        if (text !== entry.text) {
          entry.text = text;
          entry.el.replaceChildren(renderMarkdown(text));
        }
        entry.el.hidden = !text;
        if (text) lastText = entry.el;
      } else if (item.kind === 'tool' && entry.view instanceof ToolCardView) {
        const call = turn.tools[item.id];
        if (call) entry.view.update(call);
      } else if (entry.view instanceof ApprovalCardView) {
        const a = turn.approvals[item.id];
        if (a) entry.view.update(a, a.toolCallId ? turn.tools[a.toolCallId] : undefined);
      }
    });
    for (const [key, entry] of this.items)
      if (!keys.has(key)) {
        entry.el.remove();
        this.items.delete(key);
      }
    for (const entry of this.items.values())
      entry.el.classList.toggle('streaming', streaming && entry.el === lastText);
    const last = turn.flow[turn.flow.length - 1];
    this.typing.hidden = !(streaming && (last?.kind !== 'text' || !turn.text));
    this.el.dataset.state = turn.state;
    this.notice.textContent = turn.notice ?? '';
    this.notice.hidden = !turn.notice;
    this.#updateError(turn);
    this.#updateActions(turn);
  }

  /** @param {AgentTurn} turn */
  #updateError(turn) {
    const e = turn.error;
    const key = e ? JSON.stringify(e) : '';
    if (key === this.errorShown) return;
    this.errorShown = key;
    this.error.hidden = !e;
    if (!e) return;
    this.error.dataset.code = e.code;
    this.error.replaceChildren(
      icon('alert', 'error-icon'),
      h(
        'div',
        { class: 'error-text' },
        h('p', { class: 'error-title', text: ERROR_TITLES[e.code] ?? 'Something went wrong' }),
        h('p', { class: 'error-message', text: e.message }),
      ),
    );
  }

  /** @param {AgentTurn} turn */
  #updateActions(turn) {
    const buttons = [];
    if ((turn.state === 'failed' || turn.state === 'lost') && turn.request)
      buttons.push(
        h(
          'button',
          { type: 'button', class: 'btn btn-ghost', 'on:click': () => this.handlers.retry(this.turn) },
          icon('retry'),
          'Try again',
        ),
      );
    if (turn.state === 'completed' && turn.stopped?.reason === 'step-limit')
      buttons.push(
        h(
          'button',
          { type: 'button', class: 'btn btn-ghost', 'on:click': () => this.handlers.continue(this.turn) },
          icon('skip'),
          'Continue',
        ),
      );
    const key = buttons.map((b) => b.textContent).join('|');
    if (key === this.actions.dataset.key) return;
    this.actions.dataset.key = key;
    this.actions.replaceChildren(...buttons);
    this.actions.hidden = buttons.length === 0;
  }

  tick() {
    for (const entry of this.items.values()) if (entry.view instanceof ApprovalCardView) entry.view.tick();
  }

  /** The approval card a person should look at now, if any. */
  openApproval() {
    for (const entry of this.items.values())
      if (entry.view instanceof ApprovalCardView && entry.view.approval.status === 'pending') return entry.el;
    return undefined;
  }
}

/** @param {import('./turns.js').UserTurn} turn */
function userTurnView(turn) {
  return h(
    'li',
    { class: 'turn user', 'data-turn': turn.id },
    h(
      'div',
      { class: 'turn-body' },
      h('span', { class: 'sr-only', text: 'You:' }),
      h('div', { class: 'bubble', text: turn.text }),
    ),
  );
}

export class ThreadView {
  /**
   * @param {HTMLElement} list
   * @param {TurnHandlers} handlers
   */
  constructor(list, handlers) {
    this.list = list;
    this.handlers = handlers;
    /** @type {Map<string, AgentTurnView>} */
    this.views = new Map();
    /** @type {string | undefined} */
    this.threadId = undefined;
  }

  /** @param {Thread | undefined} thread */
  show(thread) {
    this.threadId = thread?.id;
    this.views.clear();
    this.list.replaceChildren();
    for (const turn of thread?.turns ?? []) this.update(turn);
  }

  /**
   * @param {Turn} turn
   * @returns {HTMLElement | undefined} a newly opened approval card
   */
  update(turn) {
    if (turn.kind === 'user') {
      if (!this.list.querySelector(`[data-turn="${CSS.escape(turn.id)}"]`))
        this.list.appendChild(userTurnView(turn));
      return undefined;
    }
    let view = this.views.get(turn.id);
    if (!view) {
      view = new AgentTurnView(turn, this.handlers);
      this.views.set(turn.id, view);
      this.list.appendChild(view.el);
    }
    const before = view.openApproval();
    view.update(turn);
    const after = view.openApproval();
    return after && after !== before ? after : undefined;
  }

  tick() {
    for (const v of this.views.values()) v.tick();
  }
}

/** @param {number} at */
function ago(at) {
  const s = Math.round((Date.now() - at) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(at).toLocaleDateString();
}

/**
 * The conversations list in the sidebar.
 * @param {HTMLElement} ul
 * @param {Thread[]} threads newest first
 * @param {string | undefined} activeId
 * @param {{ open(id: string): void, remove(id: string): void }} handlers
 */
export function renderThreadList(ul, threads, activeId, handlers) {
  const focused =
    document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
  const items = threads.map((t) => {
    const agentTurns = /** @type {AgentTurn[]} */ (t.turns.filter((x) => x.kind === 'agent'));
    const waiting = agentTurns.some((x) => Object.values(x.approvals).some((a) => a.status === 'pending'));
    const running = agentTurns.some((x) => isStreaming(x));
    const badge = waiting
      ? h('span', { class: 'badge badge-approval', text: 'Needs approval' })
      : running
        ? h('span', { class: 'badge badge-running', text: 'Working' })
        : null;
    return h(
      'li',
      { class: t.id === activeId ? 'thread active' : 'thread' },
      h(
        'button',
        {
          type: 'button',
          class: 'thread-open',
          'data-focus-key': `open:${t.id}`,
          'aria-current': t.id === activeId ? 'page' : null,
          'on:click': () => handlers.open(t.id),
        },
        h('span', { class: 'thread-title', text: t.title }),
        h('span', { class: 'thread-meta' }, badge, h('span', { text: ago(t.updatedAt) })),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'icon-btn thread-remove',
          'data-focus-key': `remove:${t.id}`,
          'aria-label': `Remove the conversation “${t.title}” from this tab`,
          title: 'Remove from this tab',
          'on:click': () => handlers.remove(t.id),
        },
        icon('trash'),
      ),
    );
  });
  ul.replaceChildren(...items);
  if (focused)
    ul.querySelector(`[data-focus-key="${CSS.escape(focused)}"]`)
      ?.closest('button')
      ?.focus();
}
