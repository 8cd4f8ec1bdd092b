/**
 * Docker Hub webhook payloads (../shared/specs/hub-webhooks.md documents them by one example). Docker
 * Hub sends push events only; tag and repository delete events are an extension of this toolkit, sent by
 * our emulator and built from registry notifications — Docker Hub itself never sends them.
 * Parsed leniently: unknown fields are kept, required ones are checked.
 */
import { z } from 'zod';

export const webhookRepositorySchema = z.looseObject({
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
  date_created: z.number().optional(),
});

/** What Docker Hub sends on a push. `callback_url` is legacy and no longer honoured by Docker Hub. */
export const pushPayloadSchema = z.looseObject({
  callback_url: z.string().optional(),
  push_data: z.looseObject({
    pushed_at: z.number(),
    pusher: z.string(),
    tag: z.string().nullable(),
  }),
  repository: webhookRepositorySchema,
});

/** dockerhub-api extension (not sent by Docker Hub): a tag or a whole repository was deleted. */
export const deletePayloadSchema = z.looseObject({
  event: z.enum(['tag_delete', 'repository_delete']),
  deleted_at: z.number(),
  actor: z.string().optional(),
  tag: z.string().optional(),
  digest: z.string().optional(),
  repository: webhookRepositorySchema,
});

export type PushPayload = z.infer<typeof pushPayloadSchema>;
export type DeletePayload = z.infer<typeof deletePayloadSchema>;
export type WebhookPayload = PushPayload | DeletePayload;

export type WebhookEvent =
  | { kind: 'push'; repository: string; tag: string | null; pusher: string; at: Date; payload: PushPayload }
  | {
      kind: 'tag_delete' | 'repository_delete';
      repository: string;
      tag?: string;
      actor?: string;
      at: Date;
      payload: DeletePayload;
    };
