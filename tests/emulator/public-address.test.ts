/**
 * An emulator reached under another name than where it listens (a container on a compose network): the
 * JWT issuer, the registry's token realm and image references use the public names, and a client that
 * knows only those names logs in, pushes and sees the tag in the Hub API. Here the public name is
 * `localhost` while the servers listen on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoImage } from '../../src/emulator/demo-image.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { decodeJwt, HubClient } from '../../src/hub/index.js';
import { pushImage, RegistryClient } from '../../src/registry/index.js';
import { cli } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';

let emu: RunningEmulator;
let port: number;
let registryPort: number;
let work: string;
const credentials = { username: 'ann', password: 'ann-password', env: {}, useDockerConfig: false };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-public-'));
  [port, registryPort] = [await freePort(), await freePort()];
  emu = await startEmulator({
    port,
    publicUrl: `http://localhost:${port}`,
    registry: 'builtin',
    registryPort,
    registryPublicHost: `localhost:${registryPort}`,
    seed: {
      users: [{ username: 'ann', password: 'ann-password' }],
      repositories: [{ namespace: 'ann', name: 'app' }],
    },
  });
});
afterAll(async () => {
  await emu?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('an emulator with public names', () => {
  it('issues JWTs and registry tokens under its public URL, and names the registry by its public host', async () => {
    expect(emu.url).toBe(`http://localhost:${port}`);
    expect(emu.registry?.host).toBe(`localhost:${registryPort}`);
    const hub = new HubClient({ baseUrl: emu.url, credentials });
    const registry = new RegistryClient({ credentials });
    try {
      const jwt = await hub.auth.token();
      expect(decodeJwt(jwt!).iss).toBe(`http://localhost:${port}`);
      const challenge = await fetch(`http://127.0.0.1:${registryPort}/v2/`);
      expect(challenge.headers.get('www-authenticate')).toContain(`realm="http://localhost:${port}/token"`);

      const image = await writeDemoImage(join(work, 'layout'), 'v1');
      const ref = `${emu.registry!.host}/ann/app:v1`;
      await pushImage(registry, image.dir, ref);
      await expect.poll(() => hub.tags.exists('ann', 'app', 'v1'), { timeout: 10_000 }).toBe(true);
    } finally {
      await hub.close();
      await registry.close();
    }
  });

  it('checks the CLI flags before starting anything', async () => {
    const bad = await cli(['emulator', '--public-url', 'emulator:8000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--public-url must be http\(s\):\/\/host\[:port\], got "emulator:8000"/);
    const badHost = await cli(['emulator', '--registry-public-host', 'http://x']);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr).toMatch(/--registry-public-host must be host\[:port\]/);
  });
});
