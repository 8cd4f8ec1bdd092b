/**
 * What the model remembers of a conversation (an A2A context): the messages of its finished turns, in
 * memory, bounded like the tasks (number of conversations, age) and in length (the oldest turns are
 * forgotten first, whole, so a tool result never loses its call).
 */
import type { ModelMessage } from 'ai';

export interface ConversationsOptions {
  maxConversations: number;
  ttlMs: number;
  /** Messages kept per conversation (older turns are dropped whole). */
  maxMessages?: number;
  now?: () => number;
}

interface Entry {
  turns: ModelMessage[][];
  usedAt: number;
}

export class Conversations {
  readonly #entries = new Map<string, Entry>();
  readonly #opts: Required<ConversationsOptions>;

  constructor(opts: ConversationsOptions) {
    this.#opts = { maxMessages: 80, now: Date.now, ...opts };
  }

  history(key: string): ModelMessage[] {
    this.#expire();
    return this.#entries.get(key)?.turns.flat() ?? [];
  }

  /** Adds a finished turn (its user message first). */
  append(key: string, turn: ModelMessage[]): void {
    const entry = this.#entries.get(key) ?? { turns: [], usedAt: 0 };
    this.#entries.delete(key);
    entry.turns.push(turn);
    entry.usedAt = this.#opts.now();
    let size = entry.turns.reduce((n, t) => n + t.length, 0);
    while (entry.turns.length > 1 && size > this.#opts.maxMessages) size -= entry.turns.shift()!.length;
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#opts.maxConversations) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  #expire(): void {
    const cutoff = this.#opts.now() - this.#opts.ttlMs;
    for (const [key, entry] of this.#entries) {
      if (entry.usedAt > cutoff) break;
      this.#entries.delete(key);
    }
  }
}
