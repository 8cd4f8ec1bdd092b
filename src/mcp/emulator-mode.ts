/**
 * `dockerhub-mcp --emulator` (and `dockerhub-agent --emulator`): the local Docker Hub with its demo data
 * (emulator/demo-data.ts) started in-process, and what the SDK clients need to act as the demo user
 * against it, so anyone can try the server in an assistant with no account and no network.
 */
import type { RunningEmulator } from '../emulator/index.js';
import type { McpClientsOptions } from './clients.js';

export { DEMO_ORG, DEMO_USER } from '../emulator/demo-data.js';

export interface EmulatorSession {
  emulator: RunningEmulator;
  /** What McpClients needs to act as the demo user against the emulator. */
  clients: Pick<McpClientsOptions, 'hubUrl' | 'scoutUrl' | 'scoutOrganization' | 'credentials' | 'scimToken'>;
  /** The first pushed demo image, `host/acme/hello:v1`. */
  image: string;
  /** Every pushed demo image: `hello:v1`, and `hello:v2` (also tagged latest). */
  images: string[];
  close(): Promise<void>;
}

export async function startEmulatorSession(): Promise<EmulatorSession> {
  const { DEMO_ORG, startDemoEmulator } = await import('../emulator/demo-data.js');
  const demo = await startDemoEmulator();
  return {
    emulator: demo.emulator,
    clients: {
      hubUrl: demo.emulator.url,
      scoutUrl: demo.emulator.url,
      scoutOrganization: DEMO_ORG,
      credentials: demo.credentials,
      scimToken: demo.scimToken,
    },
    image: demo.images[0]!,
    images: demo.images,
    close: demo.close,
  };
}
