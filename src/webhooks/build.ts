/**
 * Builders for senders (our emulator, relays, tests): payloads in the shape Docker Hub sends for a push,
 * and in our extension's shape for deletes (which Docker Hub never sends).
 */
import { ValidationError } from '../core/errors.js';
import type { PushPayload, RepositoryDeletePayload, TagDeletePayload, WebhookRepository } from './types.js';

function seconds(at: Date | undefined): number {
  return Math.floor((at ?? new Date()).getTime() / 1000);
}

function repositoryFields(repository: string, extra?: Partial<WebhookRepository>): WebhookRepository {
  const slash = repository.indexOf('/');
  if (slash <= 0 || slash === repository.length - 1) {
    throw new ValidationError(`webhook repository must be "namespace/name", got "${repository}"`);
  }
  const namespace = repository.slice(0, slash);
  const name = repository.slice(slash + 1);
  return { repo_name: repository, namespace, name, owner: namespace, ...extra };
}

export interface PushPayloadInput {
  /** `namespace/name`. */
  repository: string;
  tag: string | null;
  pusher: string;
  /** Default: now. */
  pushedAt?: Date;
  /** More `repository` fields (description, is_private, …). */
  repositoryFields?: Partial<WebhookRepository>;
}

export function createPushPayload(input: PushPayloadInput): PushPayload {
  return {
    push_data: { pushed_at: seconds(input.pushedAt), pusher: input.pusher, tag: input.tag },
    repository: repositoryFields(input.repository, input.repositoryFields),
  };
}

export interface DeletePayloadInput {
  repository: string;
  actor?: string;
  /** Default: now. */
  deletedAt?: Date;
}

/** EXTENSION, not sent by Docker Hub. */
export function createTagDeletePayload(
  input: DeletePayloadInput & { tag: string; digest?: string },
): TagDeletePayload {
  return {
    event: 'tag_delete',
    deleted_at: seconds(input.deletedAt),
    tag: input.tag,
    ...(input.digest === undefined ? {} : { digest: input.digest }),
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    repository: repositoryFields(input.repository),
  };
}

/** EXTENSION, not sent by Docker Hub. */
export function createRepositoryDeletePayload(input: DeletePayloadInput): RepositoryDeletePayload {
  return {
    event: 'repository_delete',
    deleted_at: seconds(input.deletedAt),
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    repository: repositoryFields(input.repository),
  };
}
