// @ts-check
/**
 * The web chat: connects to the agent that served it (its card, and its token when it needs one), keeps
 * the tab's conversations (each an A2A context), sends messages as SendStreamingMessage and applies the
 * streamed events to the conversation, answers approval requests, and says in words what went wrong.
 */
import { AgentClient, AgentHttpError, AgentRpcError, AgentUnreachableError } from './a2a.js';
import { byId, h, icon } from './dom.js';
import * as store from './store.js';
import {
  agentTurn,
  applyResult,
  applyTask,
  isFinal,
  isStreaming,
  newId,
  pendingApprovals,
  settle,
} from './turns.js';
import { renderThreadList, ThreadView } from './view.js';

/**
 * @typedef {import('./turns.js').Thread} Thread
 * @typedef {import('./turns.js').Turn} Turn
 * @typedef {import('./turns.js').AgentTurn} AgentTurn
 * @typedef {import('./turns.js').Approval} Approval
 */

// First of all: a token in the URL fragment goes to the tab's storage and out of the address bar.
store.takeTokenFromFragment();

const client = new AgentClient({ token: store.getToken });

const app = byId('app');
const log = byId('log');
const welcome = byId('welcome');
const suggestions = byId('suggestions');
const turnsEl = byId('turns');
const threadList = byId('thread-list');
const threadTitle = byId('thread-title');
const conn = /** @type {HTMLButtonElement} */ (byId('conn'));
const banner = byId('banner');
const composer = /** @type {HTMLFormElement} */ (byId('composer'));
const input = /** @type {HTMLTextAreaElement} */ (byId('input'));
const sendButton = /** @type {HTMLButtonElement} */ (byId('send'));
const stopButton = /** @type {HTMLButtonElement} */ (byId('stop'));
const announcer = byId('announce');
const tokenDialog = /** @type {HTMLDialogElement} */ (byId('token-dialog'));
const tokenForm = /** @type {HTMLFormElement} */ (byId('token-form'));
const tokenInput = /** @type {HTMLInputElement} */ (byId('token-input'));
const tokenError = byId('token-error');
const forgetToken = /** @type {HTMLButtonElement} */ (byId('forget-token'));

/** @type {Thread[]} */
let threads = store.loadThreads();
/** @type {string | undefined} */
let activeId = threads.some((t) => t.id === store.getActiveId()) ? store.getActiveId() : undefined;
/** Streams in flight, by turn id. */
const inFlight = new Map();
/** @type {Map<string, string>} */
let toolNames = new Map();
let tokenRequired = false;
let connected = false;

const view = new ThreadView(turnsEl, {
  approve: (turn, approval, decision) => void answerApproval(turn, approval, decision),
  retry: (turn) => void send(turn.request),
  continue: () => void send('continue'),
  toolName: (tool) => toolNames.get(tool) ?? tool,
});

// ---------------------------------------------------------------------------------------------- state

const activeThread = () => threads.find((t) => t.id === activeId);

/** @param {string} turnId */
const threadOf = (turnId) => threads.find((t) => t.turns.some((x) => x.id === turnId));

/** @param {Thread} thread */
const agentTurns = (thread) => /** @type {AgentTurn[]} */ (thread.turns.filter((t) => t.kind === 'agent'));

/** @param {string} text */
function titleOf(text) {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

let saveTimer = 0;
function save() {
  clearTimeout(saveTimer);
  saveTimer = window.setTimeout(() => {
    store.saveThreads(threads);
    store.setActiveId(activeId);
  }, 200);
}
window.addEventListener('pagehide', () => {
  clearTimeout(saveTimer);
  store.saveThreads(threads);
  store.setActiveId(activeId);
});

let listTimer = 0;
function renderList() {
  cancelAnimationFrame(listTimer);
  listTimer = requestAnimationFrame(() =>
    renderThreadList(
      threadList,
      [...threads].sort((a, b) => b.updatedAt - a.updatedAt),
      activeId,
      { open: openThread, remove: removeThread },
    ),
  );
}

function nearBottom() {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 120;
}

function scrollToEnd() {
  log.scrollTop = log.scrollHeight;
}

/** @param {string} words */
function announce(words) {
  announcer.textContent = '';
  requestAnimationFrame(() => {
    announcer.textContent = words;
  });
}

/**
 * Something in a thread changed: show it (if it is the open one), keep it, update the list.
 * @param {Thread} thread
 * @param {Turn} turn
 */
function changed(thread, turn) {
  thread.updatedAt = Math.max(thread.updatedAt, Date.now());
  if (thread.id === activeId) {
    const stick = nearBottom();
    const opened = view.update(turn);
    if (stick) scrollToEnd();
    if (opened) {
      const a = turn.kind === 'agent' ? pendingApprovals(turn)[0] : undefined;
      if (a) announce(`Approval needed: ${a.question}`);
      opened.focus({ preventScroll: true });
      opened.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
    updateComposer();
  }
  save();
  renderList();
}

function updateComposer() {
  const thread = activeThread();
  const busy = !!thread && agentTurns(thread).some(isStreaming);
  stopButton.hidden = !busy;
  sendButton.hidden = busy;
  sendButton.disabled = !input.value.trim();
  welcome.hidden = !!thread?.turns.length;
  threadTitle.textContent = thread?.title ?? 'New chat';
  document.title = thread ? `${thread.title} — Docker Hub agent` : 'Docker Hub agent';
}

/** @param {string | undefined} id */
function openThread(id) {
  activeId = id;
  const thread = activeThread();
  view.show(thread);
  updateComposer();
  scrollToEnd();
  renderList();
  save();
  closeSidebar();
  input.focus();
}

/** @param {string} id */
function removeThread(id) {
  const thread = threads.find((t) => t.id === id);
  if (!thread) return;
  for (const t of agentTurns(thread)) inFlight.get(t.id)?.abort();
  threads = threads.filter((t) => t.id !== id);
  if (activeId === id) openThread(undefined);
  else {
    renderList();
    save();
  }
}

// ------------------------------------------------------------------------------------------- errors

/**
 * @param {unknown} err
 * @returns {{ code: string, message: string }}
 */
function words(err) {
  if (err instanceof AgentUnreachableError) return { code: 'agent_unreachable', message: err.message };
  if (err instanceof AgentHttpError)
    return {
      code: err.status === 401 ? 'unauthorized' : err.status === 403 ? 'forbidden' : 'agent_http',
      message: err.message,
    };
  if (err instanceof AgentRpcError) return { code: 'rpc_error', message: err.message };
  return {
    code: 'agent_error',
    message: `The page failed: ${err instanceof Error ? err.message : String(err)}`,
  };
}

/** @param {unknown} err */
function onConnectionError(err) {
  if (err instanceof AgentUnreachableError) setConn('offline');
  if (err instanceof AgentHttpError && err.status === 401) {
    store.setToken(undefined);
    setConn('token');
    askToken('The agent refused the token. Enter the current one.');
  }
}

// ---------------------------------------------------------------------------------------- streaming

/**
 * Runs one streaming call for a turn, applying each event; says in words why it stopped early.
 * @param {Thread} thread
 * @param {AgentTurn} turn
 * @param {string} method
 * @param {unknown} params
 * @param {Approval} [approval] the approval this call answers
 */
async function runStream(thread, turn, method, params, approval) {
  const controller = new AbortController();
  inFlight.set(turn.id, controller);
  const wasWaiting = turn.state === 'input-required';
  let sawEvent = false;
  try {
    for await (const envelope of client.stream(method, params, controller.signal)) {
      if (envelope.error) throw new AgentRpcError(envelope.error);
      sawEvent = true;
      const { contextId } = applyResult(turn, envelope.result);
      if (contextId && !thread.contextId) thread.contextId = contextId;
      changed(thread, turn);
    }
    if (isStreaming(turn)) await recover(thread, turn);
  } catch (err) {
    if (controller.signal.aborted) {
      if (!isFinal(turn.state)) {
        turn.state = 'canceled';
        turn.notice = 'Stopped.';
        settle(turn);
      }
    } else {
      onConnectionError(err);
      turn.error = { ...words(err), at: Date.now() };
      if (approval && !sawEvent) {
        // The answer did not get through: the request is still open on the agent's side.
        approval.status = 'pending';
        turn.state = wasWaiting ? 'input-required' : turn.state;
        if (err instanceof AgentRpcError) void refresh(thread, turn);
      } else if (isStreaming(turn)) {
        turn.state = turn.taskId && sawEvent ? 'lost' : 'failed';
        settle(turn);
      }
    }
  } finally {
    inFlight.delete(turn.id);
    changed(thread, turn);
  }
  if (turn.state === 'completed') announce(`Answer: ${turn.text.slice(0, 600)}`);
}

/**
 * The stream ended before the task stopped (the connection dropped, or the page reloaded): ask the agent
 * where the task is, and re-attach while it still works.
 * @param {Thread} thread
 * @param {AgentTurn} turn
 */
async function recover(thread, turn) {
  if (!turn.taskId) {
    turn.state = 'lost';
    turn.error = {
      code: 'lost',
      message: 'The connection to the agent closed before it took the request.',
      at: Date.now(),
    };
    return;
  }
  const task = await client.call('GetTask', { id: turn.taskId });
  applyTask(turn, task);
  changed(thread, turn);
  if (!isStreaming(turn)) return;
  for await (const envelope of client.stream('SubscribeToTask', { id: turn.taskId })) {
    if (envelope.error) throw new AgentRpcError(envelope.error);
    applyResult(turn, envelope.result);
    changed(thread, turn);
  }
  if (isStreaming(turn)) {
    turn.state = 'lost';
    turn.error = {
      code: 'lost',
      message: 'The connection to the agent closed before the answer was finished.',
      at: Date.now(),
    };
    settle(turn);
  }
}

/**
 * Reads a task again (GetTask) and shows where it is now.
 * @param {Thread} thread
 * @param {AgentTurn} turn
 */
async function refresh(thread, turn) {
  if (!turn.taskId) return;
  try {
    applyTask(turn, await client.call('GetTask', { id: turn.taskId }));
  } catch (err) {
    if (err instanceof AgentRpcError && err.code === -32001) {
      settle(turn);
      if (!isFinal(turn.state)) turn.state = 'lost';
      turn.notice = 'The agent no longer has this task (it was restarted, or the task expired).';
    } else onConnectionError(err);
  }
  changed(thread, turn);
}

/** @param {string} raw */
async function send(raw) {
  const text = raw.trim();
  if (!text) return;
  if (tokenRequired && !store.getToken()) {
    askToken();
    return;
  }
  let thread = activeThread();
  if (!thread) {
    thread = { id: newId(), title: titleOf(text), createdAt: Date.now(), updatedAt: Date.now(), turns: [] };
    threads.unshift(thread);
    activeId = thread.id;
    view.show(thread);
  }
  if (agentTurns(thread).some(isStreaming)) return;
  // A new message declines what this conversation still waits for (the agent does the same).
  /** @type {AgentTurn[]} */
  const superseded = [];
  for (const t of agentTurns(thread))
    for (const a of pendingApprovals(t)) {
      a.status = 'superseded';
      if (!superseded.includes(t)) superseded.push(t);
      changed(thread, t);
    }
  const user = /** @type {import('./turns.js').UserTurn} */ ({
    kind: 'user',
    id: newId(),
    text,
    at: Date.now(),
  });
  const turn = agentTurn(text);
  thread.turns.push(user, turn);
  changed(thread, user);
  changed(thread, turn);
  scrollToEnd();
  await runStream(thread, turn, 'SendStreamingMessage', {
    message: {
      messageId: newId(),
      role: 'ROLE_USER',
      ...(thread.contextId ? { contextId: thread.contextId } : {}),
      parts: [{ text }],
    },
  });
  for (const t of superseded) await refresh(thread, t);
}

/**
 * @param {AgentTurn} turn
 * @param {Approval} approval
 * @param {'approve' | 'deny'} decision
 */
async function answerApproval(turn, approval, decision) {
  const thread = threadOf(turn.id);
  if (!thread || approval.status !== 'pending' || !turn.taskId) return;
  approval.status = 'sending';
  approval.decision = decision;
  turn.error = undefined;
  changed(thread, turn);
  await runStream(
    thread,
    turn,
    'SendStreamingMessage',
    {
      message: {
        messageId: newId(),
        role: 'ROLE_USER',
        taskId: turn.taskId,
        contextId: thread.contextId,
        parts: [{ data: { approval: decision, id: approval.id }, mediaType: 'application/json' }],
      },
    },
    approval,
  );
  input.focus({ preventScroll: true });
}

async function stop() {
  const thread = activeThread();
  const turn = thread && agentTurns(thread).find(isStreaming);
  if (!turn) return;
  if (!turn.taskId) {
    inFlight.get(turn.id)?.abort();
    return;
  }
  stopButton.disabled = true;
  try {
    await client.call('CancelTask', { id: turn.taskId });
  } catch {
    inFlight.get(turn.id)?.abort();
  } finally {
    stopButton.disabled = false;
  }
}

/** After a reload or a reconnect: find out where unfinished tasks are, and follow those still running. */
async function resume() {
  for (const thread of threads)
    for (const turn of agentTurns(thread)) {
      if (isFinal(turn.state) || inFlight.has(turn.id)) continue;
      if (!turn.taskId) {
        turn.state = 'lost';
        turn.error = {
          code: 'lost',
          message: 'The page was reloaded before the agent took this request.',
          at: Date.now(),
        };
        changed(thread, turn);
        continue;
      }
      if (turn.state === 'input-required') {
        for (const a of Object.values(turn.approvals)) if (a.status === 'sending') a.status = 'pending';
        void refresh(thread, turn);
        continue;
      }
      const controller = new AbortController();
      inFlight.set(turn.id, controller);
      recover(thread, turn)
        .catch((err) => {
          onConnectionError(err);
          turn.error = { ...words(err), at: Date.now() };
          turn.state = 'lost';
          settle(turn);
        })
        .finally(() => {
          inFlight.delete(turn.id);
          changed(thread, turn);
        });
    }
}

// ------------------------------------------------------------------------------------- connection

/** @param {'connecting' | 'connected' | 'token' | 'offline'} state */
function setConn(state) {
  connected = state === 'connected';
  conn.dataset.state = state;
  conn.replaceChildren(
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    {
      connecting: 'Connecting…',
      connected: 'Connected',
      token: 'Token needed',
      offline: 'Agent unreachable',
    }[state],
  );
  conn.title =
    state === 'token'
      ? 'Enter the agent token'
      : state === 'offline'
        ? 'Try to reach the agent again'
        : `dockerhub-agent at ${location.origin}`;
  forgetToken.hidden = !(tokenRequired && store.getToken());
}

/** @param {string} [message] */
function showBanner(message) {
  banner.hidden = !message;
  banner.replaceChildren();
  if (!message) return;
  banner.append(
    icon('alert'),
    h('span', { text: message }),
    h(
      'button',
      { type: 'button', class: 'btn btn-ghost', 'on:click': () => void connect() },
      icon('retry'),
      'Try again',
    ),
  );
}

/** @param {any} card */
function renderWelcome(card) {
  toolNames = new Map(
    (card.skills ?? []).map((/** @type {{ id: string, name: string }} */ s) => {
      const short = String(s.name ?? s.id).replace(/^Docker Hub /, '');
      return [s.id, short.charAt(0).toUpperCase() + short.slice(1)];
    }),
  );
  const examples = (card.skills ?? [])
    .flatMap((/** @type {{ examples?: string[] }} */ s) => (s.examples ?? []).slice(0, 1))
    .slice(0, 6);
  suggestions.replaceChildren(
    ...examples.map((/** @type {string} */ text) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'suggestion',
            'on:click': () => {
              input.value = text;
              autoGrow();
              updateComposer();
              input.focus();
            },
          },
          text,
        ),
      ),
    ),
  );
}

async function connect() {
  setConn('connecting');
  /** @type {any} */
  let card;
  try {
    card = await client.card();
  } catch (err) {
    setConn('offline');
    showBanner(words(err).message);
    return;
  }
  tokenRequired = Object.keys(card.securitySchemes ?? {}).length > 0;
  renderWelcome(card);
  if (tokenRequired) {
    if (!store.getToken()) {
      setConn('token');
      showBanner();
      askToken();
      return;
    }
    try {
      await client.call('ListTasks', { pageSize: 1 });
    } catch (err) {
      onConnectionError(err);
      if (!(err instanceof AgentHttpError && err.status === 401)) showBanner(words(err).message);
      return;
    }
  }
  setConn('connected');
  showBanner();
  await resume();
}

/** @param {string} [problem] */
function askToken(problem) {
  tokenError.textContent = problem ?? '';
  tokenError.hidden = !problem;
  if (!tokenDialog.open) tokenDialog.showModal();
  tokenInput.focus();
}

tokenForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = tokenInput.value.trim();
  tokenInput.value = '';
  if (!token) return;
  store.setToken(token);
  const submit = /** @type {HTMLButtonElement} */ (tokenForm.querySelector('button[type="submit"]'));
  submit.disabled = true;
  try {
    await client.call('ListTasks', { pageSize: 1 });
    tokenDialog.close();
    setConn('connected');
    showBanner();
    input.focus();
    await resume();
  } catch (err) {
    if (err instanceof AgentHttpError && err.status === 401) {
      store.setToken(undefined);
      askToken('That token was refused. Check AGENT_AUTH_TOKEN with the operator and try again.');
    } else {
      askToken(words(err).message);
    }
  } finally {
    submit.disabled = false;
  }
});
byId('token-cancel').addEventListener('click', () => tokenDialog.close());

conn.addEventListener('click', () => {
  if (conn.dataset.state === 'token') askToken();
  else if (conn.dataset.state === 'offline') void connect();
});
forgetToken.addEventListener('click', () => {
  store.setToken(undefined);
  setConn('token');
  askToken();
});

// --------------------------------------------------------------------------------------- composer

function autoGrow() {
  if (CSS.supports('field-sizing', 'content')) return;
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 240)}px`;
}

input.addEventListener('input', () => {
  autoGrow();
  sendButton.disabled = !input.value.trim();
});
input.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
  e.preventDefault();
  composer.requestSubmit();
});
composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const thread = activeThread();
  if (thread && agentTurns(thread).some(isStreaming)) return;
  const text = input.value;
  if (!text.trim()) return;
  input.value = '';
  autoGrow();
  void send(text);
});
stopButton.addEventListener('click', () => void stop());

// ---------------------------------------------------------------------------------------- sidebar

const menu = byId('menu');
const scrim = byId('scrim');
function closeSidebar() {
  app.classList.remove('sidebar-open');
  menu.setAttribute('aria-expanded', 'false');
}
menu.addEventListener('click', () => {
  const open = !app.classList.contains('sidebar-open');
  app.classList.toggle('sidebar-open', open);
  menu.setAttribute('aria-expanded', String(open));
  if (open) byId('new-thread').focus();
});
scrim.addEventListener('click', closeSidebar);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && app.classList.contains('sidebar-open')) closeSidebar();
});
byId('new-thread').addEventListener('click', () => openThread(undefined));
byId('new-thread-head').addEventListener('click', () => openThread(undefined));

// ------------------------------------------------------------------------------------------ clocks

setInterval(() => {
  view.tick();
  if (!connected) return;
  // An approval whose time ran out: the agent has ended it; show how.
  for (const thread of threads)
    for (const turn of agentTurns(thread))
      for (const a of pendingApprovals(turn))
        if (a.status === 'pending' && a.expiresAt && Date.parse(a.expiresAt) + 1500 < Date.now()) {
          a.status = 'expired';
          void refresh(thread, turn);
        }
}, 1000);
setInterval(renderList, 30_000);

openThread(activeId);
void connect();
