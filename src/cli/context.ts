/**
 * Builds SDK clients from the CLI's global options; front ends never build HTTP requests themselves.
 * SDK modules are imported inside the factories, so a command loads only the one it uses.
 */

import { parseMaxRetries } from '../core/retry.js';
import type { HubClient, ScimClient } from '../hub/index.js';
import type { RegistryClient } from '../registry/index.js';
import type { ScoutClient } from '../scout/index.js';

export interface GlobalOptions {
  json?: boolean;
  insecureRegistry?: string[];
  timeout?: string;
  /** Retries after the first attempt; unset: DOCKERHUB_MAX_RETRIES, else the SDK's default. */
  retries?: string;
  hubUrl?: string;
  /** Only on `scout` commands. */
  scoutUrl?: string;
  /** Set by commands that asked for (or were forced past) confirmation. */
  allowDestructive?: boolean;
}

const timeoutMs = (g: GlobalOptions) => (g.timeout ? Number(g.timeout) * 1000 : undefined);
/** Checked here, so a bad --retries is a one-line error before any request. */
const maxRetries = (g: GlobalOptions) =>
  g.retries === undefined ? undefined : parseMaxRetries(g.retries, '--retries');

export async function createRegistryClient(g: GlobalOptions): Promise<RegistryClient> {
  const { RegistryClient } = await import('../registry/index.js');
  return new RegistryClient({
    insecureRegistries: g.insecureRegistry ?? [],
    timeoutMs: timeoutMs(g),
    maxRetries: maxRetries(g),
    allowDestructive: g.allowDestructive,
  });
}

// Hub and SCIM clients have never taken --timeout. `false` becomes undefined so that the SDK still
// reads DOCKERHUB_ALLOW_DESTRUCTIVE.
export async function createHubClient(g: GlobalOptions, allowDestructive = false): Promise<HubClient> {
  const { HubClient } = await import('../hub/index.js');
  return new HubClient({
    baseUrl: g.hubUrl,
    maxRetries: maxRetries(g),
    allowDestructive: allowDestructive || undefined,
  });
}

/** The SCIM token comes from DOCKERHUB_SCIM_TOKEN: never from an argument. */
export async function createScimClient(g: GlobalOptions, allowDestructive = false): Promise<ScimClient> {
  const { ScimClient } = await import('../hub/index.js');
  return new ScimClient({
    baseUrl: g.hubUrl,
    maxRetries: maxRetries(g),
    allowDestructive: allowDestructive || undefined,
  });
}

export async function createScoutClient(g: GlobalOptions): Promise<ScoutClient> {
  const { ScoutClient } = await import('../scout/index.js');
  return new ScoutClient({
    baseUrl: g.scoutUrl,
    hubUrl: g.hubUrl,
    insecureRegistries: g.insecureRegistry,
    timeoutMs: timeoutMs(g),
    maxRetries: maxRetries(g),
  });
}
