/**
 * Which registry runs beside the emulator: a spawned distribution registry, the built-in one, one the
 * user already runs (`{ url }`: nothing is spawned; its events arrive if its notifications are pointed
 * at the emulator), or none. `auto` takes distribution when a registry program is on PATH, else the
 * built-in registry when this build has it.
 */
import { UnsupportedError, ValidationError } from '../core/errors.js';
import { findDistributionBinary, startDistributionRegistry } from './distribution.js';
import type { RegistryOptions, RunningRegistry } from './registry-types.js';

export type RegistryMode = 'auto' | 'distribution' | 'builtin' | 'none';
export const REGISTRY_MODES: readonly RegistryMode[] = ['auto', 'distribution', 'builtin', 'none'];

/** A registry the user runs; the emulator neither starts nor stops it. */
export interface ExternalRegistry {
  url: string;
}

/** The registry beside a running emulator. */
export interface EmulatorRegistry {
  url: string;
  /** `host:port`, as image references name it. */
  host: string;
  kind: RunningRegistry['kind'] | 'external';
  stop(): Promise<void>;
}

export type StartBuiltinRegistry = (opts: RegistryOptions) => Promise<RunningRegistry>;

/** Where the built-in registry lives, relative to this module. */
export const BUILTIN_REGISTRY_MODULE = './builtin-registry/index.js';

/** The built-in registry's start function, or undefined when this build does not have it. */
export async function loadBuiltinRegistry(
  specifier = BUILTIN_REGISTRY_MODULE,
): Promise<StartBuiltinRegistry | undefined> {
  let mod: { startBuiltinRegistry?: unknown };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const missing =
      e.code === 'ERR_MODULE_NOT_FOUND' ||
      /cannot find module|failed to load|does not exist/i.test(e.message);
    if (missing) return undefined;
    throw err;
  }
  return typeof mod.startBuiltinRegistry === 'function'
    ? (mod.startBuiltinRegistry as StartBuiltinRegistry)
    : undefined;
}

export function parseRegistryMode(value: string): RegistryMode {
  if ((REGISTRY_MODES as readonly string[]).includes(value)) return value as RegistryMode;
  throw new ValidationError(`--registry must be one of ${REGISTRY_MODES.join(', ')}, got "${value}"`);
}

export function externalRegistry(input: ExternalRegistry): EmulatorRegistry {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new ValidationError(`registry URL is not an absolute URL: "${input.url}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ValidationError(`registry URL must be http or https, got "${input.url}"`);
  return { url: url.origin, host: url.host, kind: 'external', stop: async () => undefined };
}

/**
 * Starts the registry `mode` asks for; undefined for `none`, and for `auto` when nothing is available.
 * An explicit `distribution` or `builtin` that is not available is an `UnsupportedError`.
 */
export async function startRegistryFor(
  mode: RegistryMode,
  opts: RegistryOptions,
  loadBuiltin: () => Promise<StartBuiltinRegistry | undefined> = () => loadBuiltinRegistry(),
): Promise<EmulatorRegistry | undefined> {
  if (mode === 'none') return undefined;
  if (mode === 'distribution' || (mode === 'auto' && findDistributionBinary()))
    return startDistributionRegistry(opts);
  const builtin = await loadBuiltin();
  if (builtin) return builtin(opts);
  if (mode === 'builtin') throw new UnsupportedError('the built-in registry is not part of this build');
  return undefined;
}
