/**
 * Docker's Hub OpenAPI spec as the emulator's gatekeeper: every request that matches a documented
 * operation is validated against it, so our SDK cannot drift from the real API. The spec is read from
 * `DOCKERHUB_HUB_SPEC` or `../shared/specs/hub-api.fixed.yaml` beside the checkout (the published spec with
 * its two broken references repaired). openapi-backend runs in quick mode because the published document
 * has schema-level defects that its strict document check rejects; request validation is unaffected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as openapiBackend from 'openapi-backend';
import { parse } from 'yaml';
import { repairForValidation } from './spec-repairs.js';

export interface SpecCheck {
  /** `operationId` or `METHOD /path/template` of the matched operation; undefined for undocumented routes. */
  operation?: string;
  /** One line naming the first violation, when the request does not match the spec. */
  violation?: string;
}

export interface SpecValidator {
  check(req: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body?: unknown;
  }): SpecCheck;
  operations: number;
  /** The name of every documented operation (`operationId`, or `METHOD /path` where the spec gives none). */
  operationNames: string[];
}

export function defaultSpecPath(): string | undefined {
  if (process.env.DOCKERHUB_HUB_SPEC) return process.env.DOCKERHUB_HUB_SPEC;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, '..', 'shared', 'specs', 'hub-api.fixed.yaml');
    if (existsSync(candidate)) return resolve(candidate);
    dir = dirname(dir);
  }
  return undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export async function loadSpecValidator(specPath: string): Promise<SpecValidator> {
  const document = parse(readFileSync(specPath, 'utf8'));
  repairForValidation(document);
  // The package is CommonJS: its class arrives as a named export or under default, by loader.
  const mod = openapiBackend as unknown as {
    OpenAPIBackend?: typeof openapiBackend.OpenAPIBackend;
    default?: { OpenAPIBackend?: typeof openapiBackend.OpenAPIBackend };
  };
  const OpenAPIBackend = (mod.OpenAPIBackend ??
    mod.default?.OpenAPIBackend) as typeof openapiBackend.OpenAPIBackend;
  const api = new OpenAPIBackend({
    definition: document,
    quick: true,
    validate: true,
    // Ajv knows no OpenAPI string formats by itself: without these, `date-time` went unchecked (with a warning).
    customizeAjv: (ajv) =>
      ajv
        .addFormat('date-time', (s: string) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)))
        .addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/),
  });
  await api.init();
  return {
    operations: api.getOperations().length,
    operationNames: api
      .getOperations()
      .map((op) => op.operationId ?? `${op.method.toUpperCase()} ${op.path}`),
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
      const operation = op.operationId ?? `${op.method.toUpperCase()} ${op.path}`;
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
  };
}
