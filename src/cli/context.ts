/** Builds SDK clients from the CLI's global options; front ends never build HTTP requests themselves. */
import { RegistryClient } from '../registry/index.js';

export interface GlobalOptions {
  json?: boolean;
  insecureRegistry?: string[];
  timeout?: string;
}

export function createRegistryClient(opts: GlobalOptions): RegistryClient {
  const timeoutMs = opts.timeout ? Number(opts.timeout) * 1000 : undefined;
  return new RegistryClient({ insecureRegistries: opts.insecureRegistry ?? [], timeoutMs });
}
