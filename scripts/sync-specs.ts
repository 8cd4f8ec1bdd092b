/**
 * `npm run specs:sync`: builds the repository's own copies of the specs the code and the tests read
 * (`specs/`) from their sources in `../shared/specs/` beside the checkout, keeping every fact and dropping
 * the prose: OpenAPI descriptions, summaries, examples and display metadata; GraphQL descriptions.
 * `--check` writes nothing and exits 1 naming every copy that differs from what its source gives now;
 * `--from DIR` (or `DOCKERHUB_SPECS_SOURCE`) reads the sources from elsewhere.
 *
 * This is the only code that reads `../shared`: everything else, at run and test time, reads `specs/`.
 * The copies are faithful: the repairs the emulator's validator needs are applied when it loads the spec
 * (src/emulator/spec-repairs.ts), so Prism and the type generator see Docker's spec as published.
 * tests/specs/freshness.test.ts runs the same comparison in the suite when the sources are present.
 * Runs on Node 24's type stripping (`node scripts/sync-specs.ts`), so it imports no project module.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ASTNode, parse as parseGraphQL, print, visit } from 'graphql';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SPECS_DIR = join(ROOT, 'specs');

export interface SpecCopy {
  /** File name under `specs/`. */
  target: string;
  /** Path under the source folder (`../shared/specs/`). */
  source: string;
  /** The copy's full text, from the source's text. */
  build(sourceText: string): string;
}

/** Keys that hold documentation, wherever a keyword may stand. */
const OPENAPI_PROSE = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'title']);
/** Presentation-only extensions (a logo, display names); other `x-` extensions are kept verbatim. */
const PRESENTATION = new Set(['x-logo', 'x-displayName']);
/** Keywords whose value maps names (fields, status codes, media types, headers, …) to objects. */
const NAME_MAPS = new Set([
  'paths',
  'schemas',
  'responses',
  'parameters',
  'requestBodies',
  'securitySchemes',
  'headers',
  'links',
  'callbacks',
  'content',
  'encoding',
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'mapping',
  'variables',
]);
/** Keywords whose value is data, copied as it is. */
const LITERALS = new Set(['enum', 'default', 'const', 'required', 'scopes']);

/**
 * The OpenAPI document without its prose. Position-aware: under a name map (`properties`, `responses`,
 * `content`, …) the keys are names, so a field called `description` stays; enum and default values are
 * data and stay whole. Where OpenAPI requires the prose (a response's `description`) it is left empty;
 * `info` keeps the API's title and version, which OpenAPI requires too.
 */
export function openApiWithoutProse(document: Record<string, unknown>): Record<string, unknown> {
  const strip = (node: unknown, nameMap?: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => strip(n));
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (nameMap) {
        const child = strip(value);
        // A Response Object must have a description (a $ref stands for one that has).
        out[key] =
          nameMap === 'responses' && child && typeof child === 'object' && !('$ref' in child)
            ? { description: '', ...child }
            : child;
      } else if (OPENAPI_PROSE.has(key) || PRESENTATION.has(key)) {
      } else if (LITERALS.has(key) || key.startsWith('x-')) {
        out[key] = value;
      } else {
        out[key] = strip(value, NAME_MAPS.has(key) && !Array.isArray(value) ? key : undefined);
      }
    }
    return out;
  };
  const info = (document.info ?? {}) as Record<string, unknown>;
  const stripped = strip(document) as Record<string, unknown>;
  return { ...stripped, info: { title: info.title, version: info.version } };
}

/** The GraphQL schema without its descriptions (comments are dropped by the parser already). */
export function graphqlWithoutProse(source: string): string {
  const document = visit(parseGraphQL(source), {
    enter(node: ASTNode) {
      if ('description' in node && node.description) return { ...node, description: undefined };
      return undefined;
    },
  });
  return `${print(document)}\n`;
}

export const SPEC_COPIES: SpecCopy[] = [
  {
    target: 'hub-api.json',
    source: 'hub-api.fixed.yaml',
    build: (text) =>
      `${JSON.stringify(openApiWithoutProse(parseYaml(text) as Record<string, unknown>), null, 2)}\n`,
  },
  {
    target: 'scout-schema.graphql',
    source: 'scout/schema.graphql',
    build: graphqlWithoutProse,
  },
];

/** Where the sources are: `--from DIR`, `DOCKERHUB_SPECS_SOURCE`, else `../shared/specs` beside the checkout. */
export function specsSourceDir(argv: string[] = [], env = process.env): string | undefined {
  const flag = argv.indexOf('--from');
  const dir =
    (flag >= 0 ? argv[flag + 1] : undefined) ??
    env.DOCKERHUB_SPECS_SOURCE ??
    join(ROOT, '..', 'shared', 'specs');
  return existsSync(dir) ? resolve(dir) : undefined;
}

export interface CopyState {
  target: string;
  source: string;
  /** The source's text. */
  sourceText: string;
  /** What the copy should hold, built from the source now. */
  expected: string;
  /** What `specs/` holds (undefined when the file is missing). */
  actual: string | undefined;
}

export function compareCopies(sourceDir: string, specsDir = SPECS_DIR): CopyState[] {
  return SPEC_COPIES.map((copy) => {
    const source = join(sourceDir, copy.source);
    const target = join(specsDir, copy.target);
    const sourceText = readFileSync(source, 'utf8');
    return {
      target: copy.target,
      source,
      sourceText,
      expected: copy.build(sourceText),
      actual: existsSync(target) ? readFileSync(target, 'utf8') : undefined,
    };
  });
}

/** Written to a temp file beside the target, then renamed: a copy is never half-written. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  const sourceDir = specsSourceDir(argv);
  if (!sourceDir) {
    console.error(
      'specs:sync: no sources: ../shared/specs is not beside the checkout (give --from DIR or DOCKERHUB_SPECS_SOURCE)',
    );
    process.exit(1);
  }
  const states = compareCopies(sourceDir);
  const stale = states.filter((s) => s.actual !== s.expected);
  if (argv.includes('--check')) {
    for (const s of stale)
      console.error(
        `specs:check: specs/${s.target} is stale (source ${s.source}): run \`npm run specs:sync\``,
      );
    if (stale.length) process.exit(1);
    console.log(`specs:check: ${states.length} copies in specs/ match their sources in ${sourceDir}`);
  } else {
    for (const s of stale) writeAtomically(join(SPECS_DIR, s.target), s.expected);
    for (const s of states)
      console.log(
        `specs:sync: specs/${s.target} ${stale.includes(s) ? 'written' : 'unchanged'} from ${relative(ROOT, s.source)}`,
      );
  }
}
