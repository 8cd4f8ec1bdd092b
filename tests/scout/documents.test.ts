/** Every GraphQL document the SDK sends is valid against Docker Scout's schema. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultScoutSchemaPath,
  loadScoutSchema,
  validateScoutDocument,
} from '../../src/emulator/scout/schema.js';
import { SCOUT_DOCUMENTS } from '../../src/scout/documents/index.js';

const schemaPath = defaultScoutSchemaPath();

describe('Scout GraphQL documents', () => {
  it("reads the package's own copy of the schema", () => {
    expect(schemaPath).toMatch(/[/\\]specs[/\\]scout-schema\.graphql$/);
  });

  it.each(SCOUT_DOCUMENTS.map((d) => [d.operationName, d] as const))('%s validates', (_name, doc) => {
    const errors = validateScoutDocument(loadScoutSchema(schemaPath), doc.source);
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});

describe('the document registry', () => {
  it('rejects what the schema does not have (the check is not vacuous)', () => {
    const schema = loadScoutSchema(schemaPath);
    const unknownField = validateScoutDocument(
      schema,
      'query X($context: Context!) { imageSummariesByDigest(context: $context, digests: ["x"]) { cveCount } }',
    );
    expect(unknownField.map((e) => e.message)).toEqual([
      'Cannot query field "cveCount" on type "SdImageSummary".',
    ]);
    expect(validateScoutDocument(schema, 'query {')[0]?.message).toMatch(/^Syntax Error/);
  });

  it('lists every document module, and no other SDK file holds query text', () => {
    const dir = join(import.meta.dirname, '../../src/scout');
    const modules = readdirSync(join(dir, 'documents')).filter((f) => f !== 'index.ts');
    expect(modules).toHaveLength(SCOUT_DOCUMENTS.length);
    const names = new Set(SCOUT_DOCUMENTS.map((d) => d.operationName));
    expect(names.size).toBe(SCOUT_DOCUMENTS.length);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/\b(query|mutation)\s+[A-Z]\w*\s*[({]/);
    }
  });
});
