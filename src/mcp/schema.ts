/**
 * What the model sees of a tool, and how a call is checked. Strict clients refuse top-level
 * `oneOf`/`anyOf`, so each tool advertises one flat object: an `action` enum plus the union of the exposed
 * actions' parameters, each described with the actions that take it. The server then validates per
 * action, so a missing or unknown parameter is answered with a message naming it and what the action
 * expects, before any request is sent.
 */
import { z } from 'zod';
import { redactText } from '../core/redact.js';
import type { AnyAction, ToolSpec } from './action.js';

type JsonSchema = Record<string, unknown>;

const schemaCache = new WeakMap<z.ZodType, JsonSchema>();

/** A parameter's JSON Schema (zod's conversion, without `$schema`), cached per zod schema. */
function paramJsonSchema(schema: z.ZodType): JsonSchema {
  let out = schemaCache.get(schema);
  if (!out) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema;
    out = rest;
    schemaCache.set(schema, out);
  }
  return out;
}

function signature(name: string, a: AnyAction): string {
  const params = [...(a.required ?? []), ...(a.optional ?? []).map((p) => `${p}?`)];
  return `${name}(${params.join(', ')})`;
}

/** The tool's description: its purpose, then one line per exposed action with the parameters it takes. */
export function toolDescription(tool: ToolSpec, actions: readonly string[]): string {
  const lines = actions.map((name) => {
    const a = tool.actions[name]!;
    const mark = a.effect === 'destructive' ? ' [destructive: asks the user to confirm]' : '';
    return `- ${signature(name, a)}: ${a.description}${mark}`;
  });
  return `${tool.description}\nActions (parameters; ? = optional):\n${lines.join('\n')}`;
}

/** The one flat object schema advertised in tools/list. */
export function inputSchema(tool: ToolSpec, actions: readonly string[]): JsonSchema {
  const usedBy = new Map<string, string[]>();
  for (const name of actions) {
    const a = tool.actions[name]!;
    for (const p of [...(a.required ?? []), ...(a.optional ?? [])]) {
      const list = usedBy.get(p) ?? [];
      list.push(name);
      usedBy.set(p, list);
    }
  }
  const properties: Record<string, JsonSchema> = {
    action: {
      type: 'string',
      enum: [...actions],
      description: 'The action to perform (see the tool description).',
    },
  };
  for (const [param, spec] of Object.entries(tool.params)) {
    const users = usedBy.get(param);
    if (!users) continue;
    const others = actions.filter((a) => !users.includes(a));
    // The shorter of "these actions" and "all but those", to keep tools/list small.
    const scope =
      others.length === 0
        ? 'all actions'
        : others.length < users.length
          ? `all but ${others.join(', ')}`
          : users.join(', ');
    properties[param] = { ...paramJsonSchema(spec.schema), description: `${spec.description} [${scope}]` };
  }
  return { type: 'object', properties, required: ['action'], additionalProperties: false };
}

export type Validated =
  | { ok: true; action: string; args: Record<string, unknown> }
  | { ok: false; message: string; action?: string };

function expected(a: AnyAction): string {
  const req = (a.required ?? []).map((p) => `${p} (required)`);
  const opt = a.optional ?? [];
  const all = [...req, ...opt];
  return all.length ? `Expected parameters: ${all.join(', ')}.` : 'This action takes no parameters.';
}

/** Why an action of the tool is not callable here (hidden by the server's configuration), if it is not. */
export type HiddenReason = (action: string) => string | undefined;

/**
 * Checks a call against the action it names: known and exposed action, no unknown parameter, every
 * required one present, each value valid. `null` counts as absent (models send it for "not given").
 * Messages never repeat a secret parameter's value.
 */
export function validateCall(
  tool: ToolSpec,
  exposed: ReadonlySet<string>,
  raw: unknown,
  hidden: HiddenReason,
): Validated {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, message: `${tool.name}: the arguments must be an object with an "action".` };
  const input = raw as Record<string, unknown>;
  const action = input.action;
  const known = [...exposed].join(', ');
  if (typeof action !== 'string' || action === '')
    return { ok: false, message: `${tool.name}: missing parameter "action". Actions: ${known}.` };
  const spec = tool.actions[action];
  if (!spec) return { ok: false, message: `${tool.name}: unknown action "${action}". Actions: ${known}.` };
  if (!exposed.has(action)) {
    return {
      ok: false,
      action,
      message: `${tool.name}.${action} is not available: ${hidden(action) ?? 'it is not enabled on this server'}.`,
    };
  }
  const where = `${tool.name}.${action}`;
  const allowed = new Set([...(spec.required ?? []), ...(spec.optional ?? [])]);
  const unknown = Object.keys(input).filter((k) => k !== 'action' && !allowed.has(k) && input[k] !== null);
  if (unknown.length) {
    const names = unknown.map((k) => `"${k}"`).join(', ');
    return { ok: false, action, message: `${where}: unknown parameter ${names}. ${expected(spec)}` };
  }
  const missing = (spec.required ?? []).filter((k) => input[k] === undefined || input[k] === null);
  if (missing.length) {
    const names = missing.map((k) => `"${k}"`).join(', ');
    return { ok: false, action, message: `${where}: missing parameter ${names}. ${expected(spec)}` };
  }
  const args: Record<string, unknown> = {};
  for (const key of allowed) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    const param = tool.params[key]!;
    const parsed = param.schema.safeParse(value);
    if (!parsed.success) {
      const why = param.secret ? 'invalid value' : issueText(parsed.error);
      return {
        ok: false,
        action,
        message: `${where}: invalid parameter "${key}": ${why}. ${expected(spec)}`,
      };
    }
    args[key] = parsed.data;
  }
  let problem: string | undefined;
  try {
    problem = spec.check?.(args);
  } catch (err) {
    // A check that throws refuses the call like one that answers: nothing is sent.
    problem = redactText(err instanceof Error ? err.message : String(err));
  }
  if (problem) return { ok: false, action, message: `${where}: ${problem}` };
  return { ok: true, action, args };
}

function issueText(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
