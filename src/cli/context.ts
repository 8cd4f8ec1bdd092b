/** Builds SDK clients from the CLI's global options; front ends never build HTTP requests themselves. */
import { RegistryClient } from '../registry/index.js';

export interface GlobalOptions {
  json?: boolean;
  insecureRegistry?: string[];
  timeout?: string;
  /** Set by commands that asked for (or were forced past) confirmation. */
  allowDestructive?: boolean;
}

export function createRegistryClient(opts: GlobalOptions): RegistryClient {
  const timeoutMs = opts.timeout ? Number(opts.timeout) * 1000 : undefined;
  return new RegistryClient({
    insecureRegistries: opts.insecureRegistry ?? [],
    timeoutMs,
    allowDestructive: opts.allowDestructive,
  });
}
