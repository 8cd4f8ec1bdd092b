/**
 * Where the emulator finds its specs: the package's own copies in `specs/` at the package root (built by
 * `npm run specs:sync`, shipped in the tarball), unless an environment variable names another file. The
 * root is found from this module's location, which differs between the sources (src/emulator/), the
 * compiled SDK (dist/emulator/) and the bundled CLI (dist/bin/chunks/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerHubError } from '../core/errors.js';

const PACKAGE_NAME = 'dockerhub-api';
export const HUB_SPEC_FILE = 'hub-api.json';
export const SCOUT_SCHEMA_FILE = 'scout-schema.graphql';

let root: string | undefined;

/** The nearest directory above this module whose package.json names this package. */
export function packageRoot(): string {
  if (root) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readName(manifest) === PACKAGE_NAME) {
      root = dir;
      return dir;
    }
    if (dirname(dir) === dir)
      throw new DockerHubError(`cannot find the ${PACKAGE_NAME} package root above ${start}`);
  }
}

function readName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** `DOCKERHUB_HUB_SPEC`, else the package's `specs/hub-api.json`. */
export function defaultSpecPath(env = process.env): string {
  return env.DOCKERHUB_HUB_SPEC || join(packageRoot(), 'specs', HUB_SPEC_FILE);
}

/** `DOCKERHUB_SCOUT_SCHEMA`, else the package's `specs/scout-schema.graphql`. */
export function defaultScoutSchemaPath(env = process.env): string {
  return env.DOCKERHUB_SCOUT_SCHEMA || join(packageRoot(), 'specs', SCOUT_SCHEMA_FILE);
}

/** The file's text; a missing or unreadable file is an error naming the path and what to do. */
export function readSpecFile(path: string, what: string, remedy: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : `unreadable (${code ?? (err as Error).message})`;
    throw new DockerHubError(`${what} ${why}: ${path} (${remedy})`, {}, { cause: err });
  }
}
