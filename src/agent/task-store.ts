/**
 * A2A tasks in memory, bounded in number and age: a task is dropped `ttlMs` after its last change, and
 * when more than `maxTasks` are kept the least recently changed go first (finished ones before those still
 * running or waiting for a person). Tasks are scoped by owner (the authenticated user) and tenant, as the
 * SDK's own store does, and handed out as copies.
 */
import type { ListTasksRequest, ListTasksResponse, Task } from '@a2a-js/sdk';
import { resolveUserScope, type ServerCallContext, type TaskStore } from '@a2a-js/sdk/server';

const TERMINAL = new Set([3, 4, 5, 7]); // completed, failed, canceled, rejected
const DEFAULT_PAGE_SIZE = 50;

interface Entry {
  task: Task;
  savedAt: number;
}

export interface BoundedTaskStoreOptions {
  maxTasks: number;
  ttlMs: number;
  now?: () => number;
}

function scopeKey(context: ServerCallContext): string {
  const scope = resolveUserScope(context) as unknown;
  return JSON.stringify([context.tenant ?? '', scope ?? '']);
}

function encodeToken(task: Task): string {
  return Buffer.from(JSON.stringify([task.status?.timestamp ?? '', task.id])).toString('base64url');
}

function decodeToken(token: string): [string, string] | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(v) && v.length === 2 ? (v as [string, string]) : undefined;
  } catch {
    return undefined;
  }
}

export class BoundedTaskStore implements TaskStore {
  /** scope → task id → entry, in order of last change (a Map keeps insertion order). */
  readonly #scopes = new Map<string, Map<string, Entry>>();
  readonly #opts: Required<BoundedTaskStoreOptions>;
  #count = 0;

  constructor(opts: BoundedTaskStoreOptions) {
    this.#opts = { now: Date.now, ...opts };
  }

  get size(): number {
    return this.#count;
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    this.#expire();
    const entry = this.#scopes.get(scopeKey(context))?.get(taskId);
    return entry ? structuredClone(entry.task) : undefined;
  }

  async save(task: Task, context: ServerCallContext): Promise<void> {
    const key = scopeKey(context);
    let scope = this.#scopes.get(key);
    if (!scope) {
      scope = new Map();
      this.#scopes.set(key, scope);
    }
    if (scope.delete(task.id)) this.#count--;
    scope.set(task.id, { task: structuredClone(task), savedAt: this.#opts.now() });
    this.#count++;
    this.#expire();
    this.#trim();
  }

  async list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    this.#expire();
    const pageSize = params.pageSize ?? DEFAULT_PAGE_SIZE;
    let tasks = [...(this.#scopes.get(scopeKey(context))?.values() ?? [])].map((e) => e.task);
    if (params.contextId) tasks = tasks.filter((t) => t.contextId === params.contextId);
    if (params.status !== undefined && params.status !== 0)
      tasks = tasks.filter((t) => t.status?.state === params.status);
    if (params.statusTimestampAfter) {
      const after = Date.parse(params.statusTimestampAfter);
      tasks = tasks.filter((t) => t.status?.timestamp && Date.parse(t.status.timestamp) > after);
    }
    // Newest first; ties by id, so pages are stable.
    tasks.sort((a, b) => {
      const ta = a.status?.timestamp ?? '';
      const tb = b.status?.timestamp ?? '';
      return ta === tb ? b.id.localeCompare(a.id) : tb.localeCompare(ta);
    });
    const totalSize = tasks.length;
    if (params.pageToken) {
      const cursor = decodeToken(params.pageToken);
      const at = cursor
        ? tasks.findIndex((t) => (t.status?.timestamp ?? '') === cursor[0] && t.id === cursor[1])
        : -1;
      tasks = at < 0 ? [] : tasks.slice(at + 1);
    }
    const page = tasks.slice(0, pageSize).map((t) => {
      const copy = structuredClone(t);
      if (!params.includeArtifacts) copy.artifacts = [];
      return copy;
    });
    const last = page[page.length - 1];
    return {
      tasks: page,
      nextPageToken: last && tasks.length > page.length ? encodeToken(last) : '',
      pageSize,
      totalSize,
    };
  }

  /** Drops tasks unchanged for longer than the TTL (the oldest sit first in each scope). */
  #expire(): void {
    const cutoff = this.#opts.now() - this.#opts.ttlMs;
    for (const [key, scope] of this.#scopes) {
      for (const [id, entry] of scope) {
        if (entry.savedAt > cutoff) break;
        scope.delete(id);
        this.#count--;
      }
      if (scope.size === 0) this.#scopes.delete(key);
    }
  }

  /** Keeps at most maxTasks: the least recently changed finished tasks go first, then any. */
  #trim(): void {
    for (const onlyFinished of [true, false]) {
      if (this.#count <= this.#opts.maxTasks) return;
      const candidates: Array<{ scope: Map<string, Entry>; id: string; savedAt: number }> = [];
      for (const scope of this.#scopes.values())
        for (const [id, entry] of scope)
          if (!onlyFinished || TERMINAL.has(entry.task.status?.state ?? 0))
            candidates.push({ scope, id, savedAt: entry.savedAt });
      candidates.sort((a, b) => a.savedAt - b.savedAt);
      for (const c of candidates) {
        if (this.#count <= this.#opts.maxTasks) break;
        c.scope.delete(c.id);
        this.#count--;
      }
    }
    for (const [key, scope] of this.#scopes) if (scope.size === 0) this.#scopes.delete(key);
  }
}
