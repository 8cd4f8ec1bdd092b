// @ts-check
/**
 * What the page keeps for the tab (sessionStorage: gone when the tab closes): the agent token and the
 * conversations. The token comes from the person (the token dialog) or once from the URL fragment
 * (`#token=…`, as Jupyter does), which is then removed from the address bar so it is neither bookmarked,
 * shared nor kept in history.
 */

const TOKEN_KEY = 'dockerhub-agent:token';
const THREADS_KEY = 'dockerhub-agent:threads';
const ACTIVE_KEY = 'dockerhub-agent:active';
/** Conversations kept for the tab; the oldest go first. */
const MAX_THREADS = 50;

/** @typedef {import('./turns.js').Thread} Thread */

/**
 * @param {string} key
 * @returns {string | undefined}
 */
function read(key) {
  try {
    return sessionStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {string} key
 * @param {string | undefined} value
 */
function write(key, value) {
  try {
    if (value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes `token` from the URL fragment, if there, and removes it from the address bar.
 * @returns {boolean} whether a token was taken
 */
export function takeTokenFromFragment() {
  if (!location.hash.includes('token=')) return false;
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  if (!token) return false;
  setToken(token);
  return true;
}

export function getToken() {
  return read(TOKEN_KEY) || undefined;
}

/** @param {string | undefined} token */
export function setToken(token) {
  write(TOKEN_KEY, token?.trim() || undefined);
}

/** @returns {Thread[]} */
export function loadThreads() {
  const raw = read(THREADS_KEY);
  if (!raw) return [];
  try {
    const list = JSON.parse(raw);
    return Array.isArray(list)
      ? list.filter((t) => t && typeof t.id === 'string' && Array.isArray(t.turns))
      : [];
  } catch {
    return [];
  }
}

/** @param {Thread[]} threads */
export function saveThreads(threads) {
  const kept = [...threads].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, MAX_THREADS);
  // Over the storage quota: drop the oldest conversations until it fits.
  while (kept.length && !write(THREADS_KEY, JSON.stringify(kept))) kept.pop();
}

export function getActiveId() {
  return read(ACTIVE_KEY);
}

/** @param {string | undefined} id */
export function setActiveId(id) {
  write(ACTIVE_KEY, id);
}
