/**
 * Docker's Hub OpenAPI spec as the emulator's gatekeeper: every request that matches a documented
 * operation is validated against it, so our SDK cannot drift from the real API, and the emulator's own
 * answers can be checked against the operation's response schemas, so the emulator cannot drift either.
 * The spec is the package's prose-free copy (`specs/hub-api.json`, see spec-files.ts) or the JSON or YAML
 * file `DOCKERHUB_HUB_SPEC` names; a missing, unreadable or empty spec is an error naming the path, never
 * a silent pass-through. The document is repaired in memory (spec-repairs.ts) before use. openapi-backend
 * runs in quick mode because the published document has schema-level defects that its strict document
 * check rejects; request validation is unaffected.
 */
import * as openapiBackend from 'openapi-backend';
import { parse } from 'yaml';
import { DockerHubError } from '../core/errors.js';
import { readSpecFile } from './spec-files.js';
import { repairForValidation } from './spec-repairs.js';

export { defaultSpecPath } from './spec-files.js';

export interface SpecCheck {
  /** `operationId` or `METHOD /path/template` of the matched operation; undefined for undocumented routes. */
  operation?: string;
  /** One line naming the first violation, when the request does not match the spec. */
  violation?: string;
}

/** An answer of the emulator to a documented operation, as it went on the wire. */
export interface SpecAnswer {
  operation: string;
  method: string;
  status: number;
  /** The `Content-Type` header, if any. */
  contentType?: string;
  /** The body as sent (empty for HEAD and bodyless answers). */
  body: string;
}

export interface SpecValidator {
  /** Where the spec was read from. */
  path: string;
  check(req: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body?: unknown;
  }): SpecCheck;
  /** Every way the answer departs from the operation's documented responses, one line each (empty: conforms). */
  checkResponse(answer: SpecAnswer): string[];
  operations: number;
  /** The name of every documented operation (`operationId`, or `METHOD /path` where the spec gives none). */
  operationNames: string[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const REMEDY = 'set DOCKERHUB_HUB_SPEC to a copy of the spec, or turn validation off with --no-validate';

function readDocument(specPath: string): Record<string, unknown> {
  const text = readSpecFile(specPath, 'Docker Hub API spec', REMEDY);
  let document: unknown;
  try {
    document = /\.json$/i.test(specPath) ? JSON.parse(text) : parse(text);
  } catch (err) {
    throw new DockerHubError(
      `Docker Hub API spec unreadable: ${specPath} (not ${/\.json$/i.test(specPath) ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]})`,
      {},
      { cause: err },
    );
  }
  const paths = (document as { paths?: unknown } | null)?.paths;
  if (!paths || typeof paths !== 'object' || Object.keys(paths).length === 0)
    throw new DockerHubError(`Docker Hub API spec unreadable: ${specPath} (it documents no operations)`);
  return document as Record<string, unknown>;
}

interface Response {
  content?: Record<string, { schema?: object }>;
}

type Ajv = ReturnType<openapiBackend.OpenAPIValidator['getAjv']>;
type ValidateFunction = ReturnType<Ajv['compile']>;
type ErrorObject = NonNullable<ValidateFunction['errors']>[number];

export async function loadSpecValidator(specPath: string): Promise<SpecValidator> {
  const document = readDocument(specPath);
  repairForValidation(document);
  // The package is CommonJS: its class arrives as a named export or under default, by loader.
  const mod = openapiBackend as unknown as {
    OpenAPIBackend?: typeof openapiBackend.OpenAPIBackend;
    ValidationContext?: typeof openapiBackend.ValidationContext;
    default?: {
      OpenAPIBackend?: typeof openapiBackend.OpenAPIBackend;
      ValidationContext?: typeof openapiBackend.ValidationContext;
    };
  };
  const OpenAPIBackend = (mod.OpenAPIBackend ??
    mod.default?.OpenAPIBackend) as typeof openapiBackend.OpenAPIBackend;
  const ValidationContext = (mod.ValidationContext ??
    mod.default?.ValidationContext) as typeof openapiBackend.ValidationContext;
  const api = new OpenAPIBackend({
    definition: document as ConstructorParameters<typeof OpenAPIBackend>[0]['definition'],
    quick: true,
    validate: true,
    // Ajv knows no OpenAPI string formats by itself: without these, `date-time` went unchecked (with a warning).
    customizeAjv: (ajv) =>
      ajv
        .addFormat('date-time', (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)))
        .addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/),
  });
  await api.init();
  const nameOf = (op: { operationId?: string; method: string; path: string }) =>
    op.operationId ?? `${op.method.toUpperCase()} ${op.path}`;
  const byName = new Map(api.getOperations().map((op) => [nameOf(op), op]));
  // Compiled on first use: one Ajv for every response schema, reporting every error, not only the first.
  let responseAjv: Ajv | undefined;
  const compiled = new Map<object, ValidateFunction>();
  const compile = (schema: object) => {
    responseAjv ??= api.validator.getAjv(ValidationContext.Response, { allErrors: true });
    let fn = compiled.get(schema);
    if (!fn) {
      // openapi-backend's quick dereferencing leaves a `$ref` to a `$ref` in place (the access token
      // schemas): the document's components ride along, so Ajv resolves what is left.
      fn = responseAjv.compile({ allOf: [schema], components: document.components });
      compiled.set(schema, fn);
    }
    return fn;
  };
  return {
    path: specPath,
    operations: byName.size,
    operationNames: [...byName.keys()],
    check(req) {
      const request = {
        method: req.method.toLowerCase(),
        path: req.path,
        query: req.query,
        headers: req.headers,
        body: req.body,
      };
      const op = api.matchOperation(request);
      if (!op) return {};
      const operation = nameOf(op);
      let result: ReturnType<typeof api.validateRequest>;
      try {
        result = api.validateRequest(request, op);
      } catch {
        // Defensive: a request openapi-backend cannot validate is still attributed to its operation.
        return { operation };
      }
      if (result.valid) return { operation };
      const e = result.errors?.[0];
      const where = e?.instancePath?.replace(/^\//, '').replace(/\//g, '.') || 'request';
      return { operation, violation: `${where} ${e?.message ?? 'is invalid'}` };
    },
    checkResponse(answer) {
      const op = byName.get(answer.operation);
      if (!op) return [];
      const responses = (op.responses ?? {}) as Record<string, Response>;
      const status = String(answer.status);
      const documented =
        responses[status] ?? responses[`${status[0]}XX`] ?? responses[`${status[0]}xx`] ?? responses.default;
      if (!documented)
        return [`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
      const content = documented.content ?? {};
      const body = answer.method.toUpperCase() === 'HEAD' ? '' : answer.body;
      const declared = Object.keys(content);
      if (declared.length === 0)
        return body ? [`a ${status} answer has no documented body, but one was sent`] : [];
      if (!body)
        return [`a ${status} answer has no body, but the spec documents ${declared.join(', ')} content`];
      const mediaType = (answer.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const match = mediaTypeMatch(mediaType, declared);
      if (!match)
        return [
          `content type ${mediaType || '(none)'} is not documented for ${status} (${declared.join(', ')})`,
        ];
      const schema = content[match]?.schema;
      if (!schema) return [];
      let value: unknown = body;
      if (/[/+]json$/.test(mediaType)) {
        try {
          value = JSON.parse(body);
        } catch {
          return [`the ${mediaType} body is not JSON`];
        }
      }
      const validate = compile(schema);
      return validate(value) ? [] : (validate.errors ?? []).map(describeError);
    },
  };
}

/** The declared media type that covers the answer's: exact, then `type/*`, then `*\/*`. */
function mediaTypeMatch(mediaType: string, declared: string[]): string | undefined {
  const lower = new Map(declared.map((d) => [d.toLowerCase(), d]));
  return lower.get(mediaType) ?? lower.get(`${mediaType.split('/')[0]}/*`) ?? lower.get('*/*');
}

/** `body.results.0.images must be array`, or `body must have required property 'name'`. */
function describeError(e: ErrorObject): string {
  const where = e.instancePath ? `body${e.instancePath.replace(/\//g, '.')}` : 'body';
  const allowed =
    e.keyword === 'enum' ? ` (${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(', ')})` : '';
  return `${where} ${e.message ?? 'is invalid'}${allowed}`;
}
