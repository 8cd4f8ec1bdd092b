/**
 * Keeps the emulator's repositories and tags in step with the registry beside it: a push by tag creates
 * the repository when missing (namespace from the path) and sets the tag's digest, size and updater; a
 * delete removes the tag, or every tag that pointed at the deleted digest. Each change is written to the
 * audit log, and the repository's configured webhooks get Docker Hub's push payload (or our tag-delete
 * extension) in the background.
 */
import { getLogger } from '../core/logger.js';
import { createPushPayload, createTagDeletePayload } from '../webhooks/build.js';
import { deliverWebhook } from '../webhooks/deliver.js';
import type { WebhookPayload } from '../webhooks/types.js';
import type { RegistryEvent } from './registry-types.js';
import type { EmulatedRepository, EmulatorState } from './state.js';
import { splitRepositoryPath } from './token-service.js';

export class RegistrySync {
  readonly #state: EmulatorState;
  readonly #inflight = new Set<Promise<void>>();
  readonly #abort = new AbortController();

  constructor(state: EmulatorState) {
    this.#state = state;
  }

  /** Applies one registry event to the state (synchronously); webhooks go out in the background. */
  apply(event: RegistryEvent): void {
    if (this.#abort.signal.aborted) return;
    const actor = event.actor ?? 'registry';
    const { namespace, name } = splitRepositoryPath(event.repository);
    const full = `${namespace}/${name}`;
    let repo = this.#state.repositories.get(this.#state.key(namespace, name));
    if (event.action === 'push') {
      if (!repo) {
        repo = this.#state.addRepository(namespace, name);
        this.#state.record('repo.create', actor, { repository: full, via: 'registry' });
      }
      if (!event.tag) return;
      this.#state.setTag(repo, event.tag, event.digest, event.size ?? 0, actor);
      this.#state.record('tag.push', actor, {
        repository: full,
        tag: event.tag,
        digest: event.digest,
        via: 'registry',
      });
      this.#notify(
        repo,
        'push',
        createPushPayload({
          repository: full,
          tag: event.tag,
          pusher: actor,
          repositoryFields: {
            description: repo.description,
            is_private: repo.is_private,
            date_created: Math.floor(Date.parse(repo.date_registered) / 1000),
          },
        }),
      );
      return;
    }
    if (!repo) return;
    const gone = [...repo.tags.values()].filter((t) =>
      event.tag ? t.name === event.tag : t.digest === event.digest,
    );
    for (const tag of gone) {
      repo.tags.delete(tag.name);
      this.#state.record('tag.delete', actor, {
        repository: full,
        tag: tag.name,
        digest: tag.digest,
        via: 'registry',
      });
      this.#notify(
        repo,
        'tag_delete',
        createTagDeletePayload({ repository: full, tag: tag.name, digest: tag.digest, actor }),
      );
    }
  }

  /** Waits for the webhook deliveries under way. */
  async drain(): Promise<void> {
    while (this.#inflight.size) await Promise.all([...this.#inflight]);
  }

  /** Stops applying events and abandons deliveries under way. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.drain();
  }

  #notify(repo: EmulatedRepository, event: string, payload: WebhookPayload): void {
    const repository = `${repo.namespace}/${repo.name}`;
    for (const hook of this.#state.webhooks.filter((w) => w.repository === repository)) {
      const delivery = deliverWebhook(hook.url, payload, {
        secret: hook.secret,
        signal: this.#abort.signal,
        timeoutMs: 5_000,
        retry: { maxAttempts: 3, baseDelayMs: 200 },
      })
        .then(
          (r) => ({ status: r.status, delivery_id: r.deliveryId }),
          (err: Error) => ({ error: err.message }),
        )
        .then((outcome) => {
          if (this.#abort.signal.aborted) return;
          if ('error' in outcome) getLogger().warn({ repository, event }, 'webhook delivery failed');
          this.#state.record('webhook.deliver', 'emulator', { repository, url: hook.url, event, ...outcome });
        })
        .finally(() => this.#inflight.delete(delivery));
      this.#inflight.add(delivery);
    }
  }
}
