/**
 * Webhook payloads.
 *
 * Docker Hub sends one kind of delivery: a push event (its documentation shows it by a single example).
 * Tag and repository delete events are an EXTENSION of this toolkit — Docker Hub never sends them. Our
 * emulator sends them, and bridges from registry notifications (distribution's `delete` events) can too.
 *
 * Parsing is lenient where senders differ and strict where we depend on a field: unknown fields are kept,
 * the fields every consumer needs (repository name, tag, times, pusher) are checked.
 */
import { z } from 'zod';

/** Unix time in seconds, as Docker Hub writes `pushed_at` and `date_created`. */
const unixSeconds = z.number().nonnegative();

/** The `repository` object of a delivery. Only `repo_name` is required; the rest is informative. */
export const webhookRepositorySchema = z.looseObject({
  /** `namespace/name`, e.g. `library/nginx` or `acme/app`. */
  repo_name: z.string().min(1),
  name: z.string().optional(),
  namespace: z.string().optional(),
  owner: z.string().optional(),
  repo_url: z.string().optional(),
  description: z.string().nullable().optional(),
  full_description: z.string().nullable().optional(),
  dockerfile: z.string().nullable().optional(),
  is_official: z.boolean().optional(),
  is_private: z.boolean().optional(),
  is_trusted: z.boolean().optional(),
  status: z.string().optional(),
  star_count: z.number().optional(),
  comment_count: z.number().optional(),
  date_created: unixSeconds.optional(),
});

/** What Docker Hub POSTs after a push. `callback_url` is legacy: Docker Hub no longer honours it. */
export const pushPayloadSchema = z.looseObject({
  callback_url: z.string().optional(),
  push_data: z.looseObject({
    pushed_at: unixSeconds,
    pusher: z.string(),
    /** The pushed tag; null when a sender reports a push by digest only. */
    tag: z.string().nullable(),
  }),
  repository: webhookRepositorySchema,
});

/** EXTENSION, not sent by Docker Hub: one tag was deleted (sent by our emulator and notification bridges). */
export const tagDeletePayloadSchema = z.looseObject({
  event: z.literal('tag_delete'),
  /** Unix time of the deletion, in seconds. */
  deleted_at: unixSeconds,
  tag: z.string().min(1),
  /** The manifest the tag pointed to, when the sender knows it. */
  digest: z.string().optional(),
  /** Who deleted it, when the sender knows. */
  actor: z.string().optional(),
  repository: webhookRepositorySchema,
});

/** EXTENSION, not sent by Docker Hub: a whole repository was deleted. */
export const repositoryDeletePayloadSchema = z.looseObject({
  event: z.literal('repository_delete'),
  deleted_at: unixSeconds,
  actor: z.string().optional(),
  repository: webhookRepositorySchema,
});

/** EXTENSION, not sent by Docker Hub: either delete event, told apart by `event`. */
export const deletePayloadSchema = z.discriminatedUnion('event', [
  tagDeletePayloadSchema,
  repositoryDeletePayloadSchema,
]);

export type WebhookRepository = z.infer<typeof webhookRepositorySchema>;
export type PushPayload = z.infer<typeof pushPayloadSchema>;
export type TagDeletePayload = z.infer<typeof tagDeletePayloadSchema>;
export type RepositoryDeletePayload = z.infer<typeof repositoryDeletePayloadSchema>;
export type DeletePayload = TagDeletePayload | RepositoryDeletePayload;
/** Any delivery body this toolkit understands: Docker Hub's push, or one of our delete extensions. */
export type WebhookPayload = PushPayload | DeletePayload;

export type WebhookEventKind = 'push' | 'tag_delete' | 'repository_delete';

interface EventBase {
  /** `namespace/name`. */
  repository: string;
  /** When it happened (from `pushed_at` / `deleted_at`). */
  at: Date;
  /** The sender's delivery id header, when it sent one (only set by the receiver). */
  deliveryId?: string;
}

/** A push, as Docker Hub reports it. */
export interface PushEvent extends EventBase {
  kind: 'push';
  tag: string | null;
  pusher: string;
  payload: PushPayload;
}

/** EXTENSION, not sent by Docker Hub. */
export interface TagDeleteEvent extends EventBase {
  kind: 'tag_delete';
  tag: string;
  digest?: string;
  actor?: string;
  payload: TagDeletePayload;
}

/** EXTENSION, not sent by Docker Hub. */
export interface RepositoryDeleteEvent extends EventBase {
  kind: 'repository_delete';
  actor?: string;
  payload: RepositoryDeletePayload;
}

/** A validated delivery: a few normalised fields, and the whole payload as sent. */
export type WebhookEvent = PushEvent | TagDeleteEvent | RepositoryDeleteEvent;
