/**
 * The copies in specs/ against their sources in ../shared/specs/ (through the sync script, the only code
 * that reads them): each copy is what `npm run specs:sync` builds now, and it keeps every fact of its
 * source. Where the sources are not beside the checkout (a fresh clone, CI's copy), each test is skipped
 * with that reason: the rest of the suite needs nothing beside the checkout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compareCopies, SPECS_DIR, specsSourceDir } from '../../scripts/sync-specs.js';

const sourceDir = specsSourceDir();
/** The sources as the sync script reads them (the only code that reads ../shared), by copy. */
const sources = () =>
  Object.fromEntries(compareCopies(sourceDir as string).map((c) => [c.target, c.sourceText]));
const SKIP = 'no ../shared/specs beside the checkout: the copies in specs/ are used as committed';

/** Every [JSON pointer, leaf value as JSON] of a document (an empty object or array is a leaf). */
function leaves(node: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (n: unknown, p: string) => {
    if (n && typeof n === 'object') {
      const keys = Object.keys(n);
      if (keys.length === 0) out.set(p, JSON.stringify(n));
      for (const k of keys)
        walk((n as Record<string, unknown>)[k], `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    } else out.set(p, JSON.stringify(n));
  };
  walk(node, path);
  return out;
}

const PROSE_SEGMENT =
  /\/(description|summary|title|example|examples|externalDocs|x-logo|x-displayName)(\/|$)/;

describe(`specs/ against its sources${sourceDir ? ` in ${sourceDir}` : ` (skipped: ${SKIP})`}`, () => {
  it('each copy is what `npm run specs:sync` builds from its source now', (ctx) => {
    if (!sourceDir) return ctx.skip(SKIP);
    for (const copy of compareCopies(sourceDir)) {
      expect(copy.actual, `specs/${copy.target} is missing: run \`npm run specs:sync\``).toBeDefined();
      if (copy.actual !== copy.expected)
        expect.fail(`specs/${copy.target} is stale (source ${copy.source}): run \`npm run specs:sync\``);
    }
  });

  it('hub-api.json keeps every fact of the OpenAPI source and adds none', (ctx) => {
    if (!sourceDir) return ctx.skip(SKIP);
    const source = leaves(parse(sources()['hub-api.json'] as string));
    const copy = leaves(JSON.parse(readFileSync(join(SPECS_DIR, 'hub-api.json'), 'utf8')));
    // Added: only the empty descriptions OpenAPI requires of responses, and the empty objects left where
    // everything inside was prose (a property declared by its example alone).
    const onlyProseUnder = (p: string) =>
      [...source.keys()]
        .filter((k) => k.startsWith(`${p}/`))
        .every((k) => PROSE_SEGMENT.test(k.slice(p.length)));
    const added = [...copy].filter(
      ([p, v]) =>
        source.get(p) !== v &&
        !(p.endsWith('/description') && v === '""') &&
        !(v === '{}' && !source.has(p) && onlyProseUnder(p)),
    );
    expect(added).toEqual([]);
    // Dropped: only what sits under a prose keyword; a field called `description` is not one of them.
    const fact = (p: string) =>
      !PROSE_SEGMENT.test(p.replace(/\/properties\/description\//g, '/properties/field/'));
    const dropped = [...source.keys()].filter((p) => !copy.has(p) && fact(p));
    expect(dropped).toEqual([]);
    // The check above is not vacuous: the facts of the fields called `description` are all there.
    const fields = (m: Map<string, string>) =>
      new Set([...m.keys()].filter((p) => p.includes('/properties/description/') && fact(p)));
    expect(fields(copy).size).toBeGreaterThan(14);
    expect(fields(copy)).toEqual(fields(source));
  });

  it('scout-schema.graphql keeps every type, field, argument and enum value of the source', (ctx) => {
    if (!sourceDir) return ctx.skip(SKIP);
    const introspect = (text: string) => introspectionFromSchema(buildSchema(text), { descriptions: false });
    expect(introspect(readFileSync(join(SPECS_DIR, 'scout-schema.graphql'), 'utf8'))).toEqual(
      introspect(sources()['scout-schema.graphql'] as string),
    );
  });
});
