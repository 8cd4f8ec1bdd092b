/**
 * Which registry runs beside the emulator: a spawned distribution registry, the built-in one, one the
 * user already runs (`{ url }`: nothing is spawned; its events arrive if its notifications are pointed
 * at the emulator), or none. `auto` takes distribution when a registry program is on PATH, else the
 * built-in registry, so a fresh machine after `npm install` alone has a registry too.
 */
import { ValidationError } from '../core/errors.js';
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
  /** Where it listens, when image references name it otherwise (a public host): for this process's own use. */
  local?: { url: string; host: string };
  stop(): Promise<void>;
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

/** Starts the registry `mode` asks for; undefined for `none`. */
export async function startRegistryFor(
  mode: RegistryMode,
  opts: RegistryOptions,
): Promise<EmulatorRegistry | undefined> {
  if (mode === 'none') return undefined;
  if (mode === 'distribution' || (mode === 'auto' && findDistributionBinary()))
    return startDistributionRegistry(opts);
  // Loaded only when used: the emulator's Hub API alone does not need it.
  const { startBuiltinRegistry } = await import('./builtin-registry/index.js');
  return startBuiltinRegistry(opts);
}
