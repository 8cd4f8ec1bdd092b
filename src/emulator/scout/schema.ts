/**
 * Docker Scout's GraphQL schema (from docker/hub-mcp), read from `DOCKERHUB_SCOUT_SCHEMA` or
 * `../shared/specs/scout/schema.graphql` beside the checkout, as spec.ts finds the Hub spec. The emulator
 * validates every incoming document against it, and `check:graphql` validates the SDK's documents.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';

export function defaultScoutSchemaPath(): string | undefined {
  if (process.env.DOCKERHUB_SCOUT_SCHEMA) return process.env.DOCKERHUB_SCOUT_SCHEMA;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const candidate = join(dir, '..', 'shared', 'specs', 'scout', 'schema.graphql');
    if (existsSync(candidate)) return resolve(candidate);
    dir = dirname(dir);
  }
  return undefined;
}

const cache = new Map<string, GraphQLSchema>();

/** Builds (once per path) the executable schema; resolvers come from the root value and field resolver. */
export function loadScoutSchema(path: string): GraphQLSchema {
  let schema = cache.get(path);
  if (!schema) {
    schema = buildSchema(readFileSync(path, 'utf8'));
    cache.set(path, schema);
  }
  return schema;
}

/** Parses and validates one document; returns the errors (a syntax error is one error). */
export function validateScoutDocument(schema: GraphQLSchema, source: string): readonly GraphQLError[] {
  try {
    return validate(schema, parse(source));
  } catch (err) {
    return [err as GraphQLError];
  }
}
