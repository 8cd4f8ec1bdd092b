/**
 * Docker Scout's GraphQL schema (from docker/hub-mcp): the package's prose-free copy
 * `specs/scout-schema.graphql`, or the file `DOCKERHUB_SCOUT_SCHEMA` names (see spec-files.ts). The
 * emulator builds its executable schema from it at start-up and validates every incoming document
 * against it; `check:graphql` validates the SDK's documents. A missing or unreadable schema is an error
 * naming the path.
 */
import { buildSchema, type GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import { DockerHubError } from '../../core/errors.js';
import { readSpecFile } from '../spec-files.js';

export { defaultScoutSchemaPath } from '../spec-files.js';

const cache = new Map<string, GraphQLSchema>();

/** Builds (once per path) the executable schema; resolvers come from the root value and field resolver. */
export function loadScoutSchema(path: string): GraphQLSchema {
  let schema = cache.get(path);
  if (!schema) {
    const text = readSpecFile(
      path,
      'Docker Scout GraphQL schema',
      'set DOCKERHUB_SCOUT_SCHEMA to a copy of it',
    );
    try {
      schema = buildSchema(text);
    } catch (err) {
      throw new DockerHubError(
        `Docker Scout GraphQL schema unreadable: ${path} (${(err as Error).message.split('\n')[0]})`,
        {},
        { cause: err },
      );
    }
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
