/**
 * Repairs applied in memory to Docker's spec before the emulator's validator reads it (the file stays as
 * published). Most make the validator check what the spec means instead of silently checking nothing; the
 * last two correct defects that would refuse requests the real API takes. Each defect is listed, with how
 * the SDK copes with it, in docs/hub-api.md.
 */

interface Schema {
  type?: string;
  pattern?: string;
  properties?: Record<string, Schema>;
}

type Doc = {
  paths?: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, Schema>;
    parameters?: Record<string, { in?: string; name?: string; schema?: Schema }>;
  };
};

/**
 * openapi-backend validates only JSON and form bodies: SCIM's `application/scim+json` bodies are JSON too,
 * so each is also declared as `application/json` for the validator.
 */
function validateScimBodiesAsJson(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const content = (node as { content?: Record<string, unknown> }).content;
  if (content?.['application/scim+json'] && !content['application/json'])
    content['application/json'] = content['application/scim+json'];
  for (const child of Object.values(node)) validateScimBodiesAsJson(child);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/**
 * openapi-backend builds request validators only for operations with an `operationId`, and 40 of Docker's
 * 54 have none: each gets `METHOD /path/template` as its id, so that every operation is validated.
 */
function nameUnnamedOperations(document: Doc): void {
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method] as { operationId?: string } | undefined;
      if (op && !op.operationId) op.operationId = `${method.toUpperCase()} ${template}`;
    }
  }
}

/**
 * A few of Docker's schemas mark a property `required: true` inside the property (the org access token's
 * label, and its resources' type, path and scopes). JSON Schema wants a `required` list on the parent, and
 * the validator rejects the whole schema otherwise (and with it every check of the operation): move them.
 */
function hoistRequiredFlags(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const schema = node as { properties?: Record<string, { required?: unknown }>; required?: unknown };
  if (schema.properties && typeof schema.properties === 'object') {
    for (const [name, prop] of Object.entries(schema.properties)) {
      if (prop && prop.required === true) {
        delete prop.required;
        schema.required = [...(Array.isArray(schema.required) ? schema.required : []), name];
      }
    }
  }
  for (const child of Object.values(node)) hoistRequiredFlags(child);
}

interface Parameter {
  $ref?: string;
  in?: string;
  name?: string;
}

/**
 * Some path templates use a parameter no operation declares (`/v2/orgs/{name}/access-tokens` declares no
 * `name`): the validator then refuses every request as having an unknown path property. Declare them.
 */
function declareTemplateParameters(document: Doc): void {
  const resolve = (p: Parameter) =>
    p.$ref ? (document.components?.parameters?.[p.$ref.split('/').pop() ?? ''] ?? p) : p;
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    const shared = ((item.parameters as Parameter[] | undefined) ?? []).map(resolve);
    for (const method of METHODS) {
      const op = item[method] as { parameters?: Parameter[] } | undefined;
      if (!op) continue;
      const declared = [...shared, ...(op.parameters ?? []).map(resolve)]
        .filter((p) => p.in === 'path')
        .map((p) => p.name);
      for (const name of names.filter((n) => !declared.includes(n))) {
        op.parameters = [
          ...(op.parameters ?? []),
          { in: 'path', name, required: true, schema: { type: 'string' } } as Parameter,
        ];
      }
    }
  }
}

/**
 * The org members `search` filter is free text (username, name, email) but typed as an integer; the
 * immutable-tags verify `regex` carries a repository-name pattern with doubled escapes, which refuses every
 * regular expression, the spec's own example `v.*` included (rules are RE2 regular expressions).
 */
function correctRefusingDefects(document: Doc): void {
  const components = document.components;
  const search = components?.parameters?.search;
  if (search?.schema?.type === 'integer') search.schema = { type: 'string' };
  const regex = components?.schemas?.immutable_tags_verify_request?.properties?.regex;
  if (regex) delete regex.pattern;
}

export function repairForValidation(document: Doc): void {
  nameUnnamedOperations(document);
  declareTemplateParameters(document);
  validateScimBodiesAsJson(document);
  hoistRequiredFlags(document.components?.schemas);
  correctRefusingDefects(document);
}
