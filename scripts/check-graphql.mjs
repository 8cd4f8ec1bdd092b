#!/usr/bin/env node
/**
 * `npm run check:graphql` (part of pretest, after the build): parses every GraphQL document in the SDK's
 * registry and validates it with graphql-js against Docker Scout's schema (the package's
 * specs/scout-schema.graphql, or DOCKERHUB_SCOUT_SCHEMA). Any error fails the run, a missing schema too.
 */
import {
  defaultScoutSchemaPath,
  loadScoutSchema,
  validateScoutDocument,
} from '../dist/emulator/scout/schema.js';
import { SCOUT_DOCUMENTS } from '../dist/scout/documents/index.js';

const path = defaultScoutSchemaPath();
let schema;
try {
  schema = loadScoutSchema(path);
} catch (err) {
  console.error(`check:graphql: ${err.message}`);
  process.exit(1);
}
let failed = 0;
for (const doc of SCOUT_DOCUMENTS) {
  for (const error of validateScoutDocument(schema, doc.source)) {
    failed++;
    const where = error.locations?.map((l) => `${l.line}:${l.column}`).join(', ');
    console.error(`check:graphql: ${doc.operationName}${where ? ` (${where})` : ''}: ${error.message}`);
  }
}
if (failed) process.exit(1);
console.log(`check:graphql: ${SCOUT_DOCUMENTS.length} documents valid against ${path}`);
