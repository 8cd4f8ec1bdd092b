/**
 * What every emulator route shares: the request context, JSON replies in Docker Hub's error shape, Hub-style
 * pagination, and `route()`, which turns a path template (`/v2/orgs/:org/members`) into a matcher.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { RegistrySync } from './registry-sync.js';
import type { EmulatorState } from './state.js';
import type { TokenService } from './token-service.js';

export type Json = Record<string, unknown>;

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: unknown;
  /** The body as sent (form bodies are not parsed into `body`). */
  rawBody?: string;
  /** The authenticated Hub user (from the bearer JWT), if any. */
  user?: string;
}

/** What route modules get from the server: the state and the server's own services. */
export interface EmulatorEnv {
  state: EmulatorState;
  /** Signs a Hub JWT for a user (what `POST /v2/auth/token` returns). */
  mint(username: string): Promise<string>;
  /** The emulator's base URL, e.g. http://127.0.0.1:8000. */
  baseUrl(): string;
  /** The registry side: token service, notification secret, event sync. */
  registry: RegistryServices;
  /** Docker Scout's executable schema, built at start-up. */
  scoutSchema: GraphQLSchema;
}

export interface RegistryServices {
  tokens: TokenService;
  /** Registries must send it in the `X-Emulator-Events-Secret` header of their notifications. */
  eventsSecret: string;
  sync: RegistrySync;
}

export type Handler<P extends string = string> = (
  ctx: Ctx,
  params: Record<P, string>,
) => Promise<void> | void;

/** The `:name` segments of a path template: `ParamNames<'/v2/orgs/:org/groups/:group'>` is `'org' | 'group'`. */
export type ParamNames<T extends string> = T extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : T extends `${string}:${infer Name}`
    ? Name
    : never;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** A route from a template: `:name` is one path segment; a trailing `/?` is tolerated as Hub does. */
export function route<T extends string>(method: string, template: T, handler: Handler<ParamNames<T>>): Route {
  const source = template
    .replace(/\/$/, '')
    .split('/')
    .map((seg) =>
      seg.startsWith(':') ? `(?<${seg.slice(1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  // The pattern's named groups are exactly the template's params.
  return { method, pattern: new RegExp(`^${source}/?$`), handler: handler as Handler };
}

export function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** Docker Hub's error body: `detail` and `message`. */
export function fail(ctx: Ctx, status: number, detail: string): void {
  send(ctx.res, status, { detail, message: detail });
}

/** The token of an `Authorization: Bearer …` header; undefined when there is none. */
export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export const badRequest = (ctx: Ctx, detail: string) => fail(ctx, 400, detail);
export const unauthorized = (ctx: Ctx) => fail(ctx, 401, 'authentication required');
export const forbidden = (ctx: Ctx, detail = 'forbidden') => fail(ctx, 403, detail);
export const notFound = (ctx: Ctx, what: string) => fail(ctx, 404, `${what} not found`);

/** Hub-style page: `count`, absolute `next`/`previous` URLs, `results`. */
export function paginate<T>(items: T[], url: URL, defaultSize = 10): Json {
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
  const size = Math.max(1, Number(url.searchParams.get('page_size') ?? defaultSize));
  const link = (p: number) => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    u.searchParams.set('page_size', String(size));
    return u.toString();
  };
  const start = (page - 1) * size;
  return {
    count: items.length,
    next: start + size < items.length ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items.slice(start, start + size),
  };
}
