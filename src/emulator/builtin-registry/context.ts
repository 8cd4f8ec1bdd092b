/** What a request handler gets: the request, its repository and reference, the state, and who is asking. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryEvent } from '../registry-types.js';
import type { RepositoryStore } from './repository-store.js';
import type { UploadSessions } from './upload-sessions.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Repository name, e.g. `acme/app` (empty for registry-wide routes). */
  name: string;
  /** The path's last part: a tag or digest, a blob digest, or an upload session id. */
  reference: string;
  store: RepositoryStore;
  uploads: UploadSessions;
  /** The token's subject, when the request was authenticated. */
  actor?: string;
  /** Whether the caller may pull from another repository (a mount source). */
  canPull(repository: string): boolean;
  emit(event: RegistryEvent): void;
}

export type Handler = (ctx: RequestContext) => Promise<void>;
