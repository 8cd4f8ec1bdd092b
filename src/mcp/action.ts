/**
 * Tools as data. A tool is a parameter catalogue plus an action table: each action names the parameters
 * it takes, what it changes (its effect) and the one SDK call it makes. Routing, validation, result
 * shaping, confirmation and error mapping are written once (server.ts, schema.ts, result.ts, errors.ts),
 * never per action.
 */
import type { z } from 'zod';
import type { McpClients } from './clients.js';
import type { ResultLimits } from './result.js';

/**
 * What an action changes. `read` changes nothing; `write` creates or updates without loss (a repository,
 * a token, an invite); `destructive` deletes, overwrites registry content or changes organization
 * settings, and is hidden unless the server's operator allows it.
 */
export type Effect = 'read' | 'write' | 'destructive';

export interface ParamSpec {
  /** The value's schema (never `.optional()`: whether a parameter is required is the action's business). */
  schema: z.ZodType;
  /** What the model reads about this parameter; the actions using it are appended by schema.ts. */
  description: string;
  /** A credential: never echoed in errors, results or logs. */
  secret?: boolean;
}

export type ParamCatalogue = Record<string, ParamSpec>;

/** A parameter, keeping its schema's type (so `run` receives typed arguments). */
export function param<S extends z.ZodType>(
  schema: S,
  description: string,
  opts: { secret?: boolean } = {},
): { schema: S; description: string; secret?: boolean } {
  return { schema, description, ...opts };
}

type ValueOf<P extends ParamCatalogue, K extends keyof P> = z.output<P[K]['schema']>;

/** The arguments an action's `run` receives: required parameters present, optional ones maybe. */
export type ActionArgs<P extends ParamCatalogue, R extends keyof P, O extends keyof P> = {
  [K in R]: ValueOf<P, K>;
} & { [K in O]?: ValueOf<P, K> };

/** A progress report for a long action; sent as `notifications/progress` when the client asked. */
export interface ProgressReport {
  progress: number;
  total?: number;
  message?: string;
}

export interface ActionContext {
  clients: McpClients;
  /** Aborted when the client cancels the call or disconnects: pass it to every SDK call. */
  signal: AbortSignal;
  /** Throttled; a no-op when the client gave no progress token. */
  progress(report: ProgressReport): void;
  limits: ResultLimits;
}

export interface ActionSpec<P extends ParamCatalogue, R extends keyof P = never, O extends keyof P = never> {
  /** One line for the tool description. */
  description: string;
  effect: Effect;
  required?: readonly R[];
  optional?: readonly O[];
  /** A check across parameters (one of two, a range), as a message; runs before any request. */
  check?(args: ActionArgs<P, R, O>): string | undefined;
  /** What a destructive call will change, by name: the question put to the user before it runs. */
  confirm?(args: ActionArgs<P, R, O>): string;
  /**
   * For a `write` action that some arguments make destructive (a SCIM user deactivated): the question to
   * ask for such a call, else undefined. Such a call is refused unless destructive actions are allowed,
   * and confirmed like one.
   */
  destructiveIf?(args: ActionArgs<P, R, O>): string | undefined;
  /** This action's result carries a secret shown once (a new token): it is not redacted. */
  revealsSecret?: boolean;
  /**
   * What to do about a failure of this action, where the generic hint would mislead (a login action's
   * credentials come from its arguments, not the server's environment); undefined keeps the generic one.
   */
  hint?(err: unknown): string | undefined;
  /**
   * The SDK call. Its value becomes the result's `data`: an APIPromise (its HTTP status is kept), a
   * `ListPage` from result.ts (paginated and capped), or any JSON-able value.
   */
  run(args: ActionArgs<P, R, O>, ctx: ActionContext): unknown;
}

/** Erased form, as the framework handles it. */
export interface AnyAction {
  description: string;
  effect: Effect;
  required?: readonly string[];
  optional?: readonly string[];
  check?(args: Record<string, unknown>): string | undefined;
  confirm?(args: Record<string, unknown>): string;
  destructiveIf?(args: Record<string, unknown>): string | undefined;
  revealsSecret?: boolean;
  hint?(err: unknown): string | undefined;
  run(args: Record<string, unknown>, ctx: ActionContext): unknown;
}

export const TOOL_NAMES = [
  'hub_auth',
  'hub_repos',
  'hub_org',
  'hub_teams',
  'hub_audit',
  'hub_scim',
  'hub_admin',
  'hub_registry',
  'hub_scout',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ToolSpec {
  name: ToolName;
  title: string;
  /** What the tool is for, in a sentence or two; the action list is appended by schema.ts. */
  description: string;
  /** The environment toggle that turns the tool off when set to false (e.g. REPOSTOOL). */
  toggle: string;
  /** Which limit snapshot the result envelope carries. */
  rateLimit: 'hub' | 'registry';
  params: ParamCatalogue;
  actions: Record<string, AnyAction>;
  /** As an action's `hint`, for every action of the tool (an action's own hint comes first). */
  hint?(err: unknown): string | undefined;
}

type ActionBuilder<P extends ParamCatalogue> = <R extends keyof P = never, O extends keyof P = never>(
  spec: ActionSpec<P, R, O>,
) => AnyAction;

/**
 * Declares a tool. `actions` receives a builder that types each action's `run` arguments from the
 * parameters it names.
 */
export function defineTool<P extends ParamCatalogue>(spec: {
  name: ToolName;
  title: string;
  description: string;
  toggle: string;
  rateLimit: 'hub' | 'registry';
  params: P;
  actions: (action: ActionBuilder<P>) => Record<string, AnyAction>;
  hint?(err: unknown): string | undefined;
}): ToolSpec {
  // `action` routes the call; an API parameter of that name needs another (hub_audit's audit_action).
  if ('action' in spec.params) throw new Error(`${spec.name}: no parameter may be called "action"`);
  const build: ActionBuilder<P> = (a) => a as unknown as AnyAction;
  const actions = spec.actions(build);
  for (const [name, a] of Object.entries(actions)) {
    for (const p of [...(a.required ?? []), ...(a.optional ?? [])]) {
      if (!(p in spec.params)) throw new Error(`${spec.name}.${name}: unknown parameter ${p}`);
    }
    if (a.effect === 'destructive' && !a.confirm)
      throw new Error(`${spec.name}.${name}: a destructive action must say what it changes (confirm)`);
  }
  return { ...spec, actions };
}
