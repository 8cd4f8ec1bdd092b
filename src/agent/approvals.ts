/**
 * Destructive calls wait for a person. Each confirmation the MCP server asks for becomes an approval
 * request with an unguessable id; one is open at a time per task (others queue behind it, in order), and
 * each ends exactly once: approved, denied, expired, superseded by a new message, or cancelled with the
 * task. Only an approval runs anything.
 */
import { randomUUID } from 'node:crypto';

export interface ApprovalDetails {
  /** The question the MCP server put, naming exactly what will change. */
  question: string;
  tool: string;
  action?: string;
  params: Record<string, unknown>;
  /** The model's tool call this belongs to. */
  toolCallId?: string;
}

export interface ApprovalRequest extends ApprovalDetails {
  id: string;
  requestedAt: string;
  expiresAt: string;
}

export type Decision =
  | { outcome: 'approved' }
  | { outcome: 'denied' | 'expired' | 'superseded' | 'cancelled'; reason: string };

interface Pending {
  request: ApprovalRequest;
  resolve(decision: Decision): void;
  timer?: NodeJS.Timeout;
}

export interface ApprovalEvents {
  /** A request is now the open one (the task waits for a person). */
  opened(request: ApprovalRequest): void;
  /** A request ended; `next` tells whether another one opens right after. */
  settled(request: ApprovalRequest, decision: Decision): void;
}

export class ApprovalQueue {
  readonly #queue: Pending[] = [];
  readonly #timeoutMs: number;
  #events: ApprovalEvents;

  constructor(timeoutMs: number, events: ApprovalEvents) {
    this.#timeoutMs = timeoutMs;
    this.#events = events;
  }

  /** The request a person is being asked about now. */
  get open(): ApprovalRequest | undefined {
    return this.#queue[0]?.request;
  }

  get size(): number {
    return this.#queue.length;
  }

  /** Waits for a person's decision; the promise never rejects. */
  ask(details: ApprovalDetails, signal?: AbortSignal): Promise<Decision> {
    return new Promise<Decision>((resolve) => {
      const request: ApprovalRequest = {
        ...details,
        id: `apr_${randomUUID()}`,
        requestedAt: new Date().toISOString(),
        expiresAt: '',
      };
      const pending: Pending = { request, resolve };
      const onAbort = () =>
        this.#settle(pending, { outcome: 'cancelled', reason: 'the request was cancelled' });
      if (signal?.aborted) {
        resolve({ outcome: 'cancelled', reason: 'the request was cancelled' });
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.resolve = (d) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(d);
      };
      this.#queue.push(pending);
      if (this.#queue.length === 1) this.#open(pending);
    });
  }

  /** A person's answer to the open request. False when `id` is not the open request's. */
  answer(id: string, approve: boolean): boolean {
    const head = this.#queue[0];
    if (!head || head.request.id !== id) return false;
    this.#settle(
      head,
      approve ? { outcome: 'approved' } : { outcome: 'denied', reason: 'the user denied it' },
    );
    return true;
  }

  /** Ends every waiting request with the same (non-approving) decision. */
  declineAll(outcome: 'superseded' | 'cancelled' | 'expired', reason: string): void {
    for (const p of [...this.#queue]) this.#settle(p, { outcome, reason });
  }

  #open(pending: Pending): void {
    pending.request.expiresAt = new Date(Date.now() + this.#timeoutMs).toISOString();
    pending.timer = setTimeout(
      () =>
        this.#settle(pending, {
          outcome: 'expired',
          reason: `nobody approved it within ${Math.round(this.#timeoutMs / 1000)} s`,
        }),
      this.#timeoutMs,
    );
    pending.timer.unref?.();
    this.#events.opened(pending.request);
  }

  #settle(pending: Pending, decision: Decision): void {
    const i = this.#queue.indexOf(pending);
    if (i < 0) return;
    this.#queue.splice(i, 1);
    clearTimeout(pending.timer);
    const wasOpen = i === 0;
    pending.resolve(decision);
    if (wasOpen) this.#events.settled(pending.request, decision);
    const next = this.#queue[0];
    if (wasOpen && next) this.#open(next);
  }
}
