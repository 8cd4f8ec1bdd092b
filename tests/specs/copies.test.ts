/**
 * The repository's own copies of the specs (specs/), as they are, with nothing beside the checkout: what
 * they hold, that they hold no prose, that specs/README.md names their sources, and that no code but the
 * sync script reaches for ../shared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ASTNode, buildSchema, parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { openApiWithoutProse } from '../../scripts/sync-specs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SPECS = join(ROOT, 'specs');
const hub = JSON.parse(readFileSync(join(SPECS, 'hub-api.json'), 'utf8'));
const scout = readFileSync(join(SPECS, 'scout-schema.graphql'), 'utf8');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Every [JSON path, key, value] of the document. */
function* entries(node: unknown, path = ''): Generator<[string, string, unknown]> {
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    yield [path, key, value];
    yield* entries(value, `${path}/${key}`);
  }
}

describe('specs/hub-api.json', () => {
  it("holds Docker's Hub API: 35 paths, 54 operations, their parameters, schemas and security", () => {
    expect(hub.openapi).toBe('3.0.3');
    expect(hub.info).toEqual({ title: 'Docker HUB API', version: '2-beta' });
    expect(Object.keys(hub.paths)).toHaveLength(35);
    const operations = Object.values(hub.paths as Record<string, Record<string, unknown>>).flatMap((item) =>
      METHODS.filter((m) => m in item),
    );
    expect(operations).toHaveLength(54);
    const schemas = hub.components.schemas;
    expect(schemas.repository_info.required).toContain('permissions');
    expect(schemas.category.properties.slug.pattern).toBe('^[a-z0-9]+(?:-[a-z0-9]+)*$');
    expect(schemas.orgAccessTokenResource.properties.type.enum).toEqual(['TYPE_REPO', 'TYPE_ORG']);
    expect(Object.keys(hub.components.securitySchemes).sort()).toEqual(['bearerAuth', 'bearerSCIMAuth']);
  });

  it('has no prose: no description, summary, title or example in keyword position', () => {
    const prose = [...entries(hub)]
      .filter(([path, key, value]) => {
        if (path.endsWith('/properties')) return false; // field names
        if (key === 'description') return value !== '' || !/\/responses\/[^/]+$/.test(path);
        return [
          'summary',
          'title',
          'example',
          'examples',
          'externalDocs',
          'x-logo',
          'x-displayName',
        ].includes(key);
      })
      .filter(([path, key]) => !(path === '/info' && key === 'title'))
      .map(([path, key]) => `${path}/${key}`);
    expect(prose).toEqual([]);
  });

  it('keeps fields that are called like prose', () => {
    expect(hub.components.schemas.org_group.properties.description).toEqual({ type: 'string' });
    const named = [...entries(hub)].filter(
      ([path, key]) => path.endsWith('/properties') && key === 'description',
    );
    expect(named).toHaveLength(14);
  });
});

describe('specs/scout-schema.graphql', () => {
  it("holds Scout's types, fields and arguments, and no descriptions", () => {
    const schema = buildSchema(scout);
    expect(Object.keys(schema.getTypeMap()).length).toBeGreaterThan(400);
    const image = schema.getQueryType()?.getFields().imageSummariesByDigest;
    expect(image?.args.map((a) => a.name)).toEqual(['context', 'digests', 'repository']);
    const described: string[] = [];
    visit(parse(scout), {
      enter(node: ASTNode) {
        if ('description' in node && node.description) described.push(node.kind);
      },
    });
    expect(described).toEqual([]);
  });
});

describe('the prose filter', () => {
  it('knows keys from names: fields, media types and status codes stay, data stays whole', () => {
    const copy = openApiWithoutProse({
      openapi: '3.0.3',
      info: { title: 'T', version: '1', description: 'words', 'x-logo': { url: 'u' } },
      tags: [{ name: 'a', description: 'words', 'x-displayName': 'A', 'x-audience': 'public' }],
      paths: {
        '/x': {
          get: {
            summary: 'words',
            parameters: [{ name: 'description', in: 'query', description: 'words', example: 1 }],
            responses: {
              '200': {
                description: 'words',
                content: {
                  'application/json': {
                    schema: {
                      title: 'words',
                      type: 'object',
                      required: ['description', 'example'],
                      properties: {
                        description: { type: 'string', description: 'words' },
                        example: {
                          type: 'string',
                          enum: [{ description: 'data' }],
                          default: { title: 'data' },
                        },
                      },
                    },
                    examples: { one: { value: {} } },
                  },
                },
              },
              '404': { $ref: '#/components/responses/nf' },
            },
          },
        },
      },
    });
    expect(copy).toEqual({
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      tags: [{ name: 'a', 'x-audience': 'public' }],
      paths: {
        '/x': {
          get: {
            parameters: [{ name: 'description', in: 'query' }],
            responses: {
              '200': {
                description: '',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['description', 'example'],
                      properties: {
                        description: { type: 'string' },
                        example: {
                          type: 'string',
                          enum: [{ description: 'data' }],
                          default: { title: 'data' },
                        },
                      },
                    },
                  },
                },
              },
              '404': { $ref: '#/components/responses/nf' },
            },
          },
        },
      },
    });
  });
});

describe('specs/README.md', () => {
  it('names each copy with its source, upstream commit and licence', () => {
    const readme = readFileSync(join(SPECS, 'README.md'), 'utf8');
    const copies = readdirSync(SPECS).filter((f) => !['README.md', 'LICENSE'].includes(f));
    expect(copies.sort()).toEqual(['hub-api.json', 'scout-schema.graphql']);
    for (const file of copies) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${file}\``));
      expect(row, file).toMatch(/\| `\.\.\/shared\/specs\/[^`]+` \|.*\| `[0-9a-f]{40}` \| Apache-2\.0 \|$/);
    }
    expect(readFileSync(join(SPECS, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
  });
});

describe('nothing beside the checkout', () => {
  it('no code reads ../shared but the sync script', () => {
    // A path built to the folder (a string literal naming it), outside comments; spelt in two halves here.
    const folder = ['sha', 'red'].join('');
    const reach = new RegExp(`['"\`](\\.\\./)*${folder}(/specs)?['"\`/]`);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|mts|js|mjs)$/.test(name)) {
          const code = readFileSync(path, 'utf8')
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/^\s*\/\/.*$/gm, '');
          if (reach.test(code)) offenders.push(relative(ROOT, path));
        }
      }
    };
    for (const dir of ['src', 'scripts', 'tests', 'bench']) walk(join(ROOT, dir));
    expect(offenders).toEqual(['scripts/sync-specs.ts']);
  });
});
