#!/usr/bin/env node
import {
  defaultScoutSchemaPath,
  loadScoutSchema,
  validateScoutDocument,
} from '../dist/emulator/scout/schema.js';
/**
 * `npm run check:graphql` (part of pretest, after the build): parses every GraphQL document in the SDK's
 * registry and validates it with graphql-js against Docker Scout's schema. Any error fails the run.
 */
import { SCOUT_DOCUMENTS } from '../dist/scout/documents/index.js';

const path = defaultScoutSchemaPath();
if (!path) {
  console.error('check:graphql: schema.graphql not found; set DOCKERHUB_SCOUT_SCHEMA');
  process.exit(1);
}
const schema = loadScoutSchema(path);
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
