/** startDistributionRegistry on its own: no auth, finding the program, and a program that fails to start. */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findDistributionBinary,
  startDistributionRegistry,
  writeDemoImage,
} from '../../src/emulator/index.js';
import { RegistryClient } from '../../src/registry/index.js';
import { pushImage } from '../../src/registry/transfer/index.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-distribution-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('startDistributionRegistry', () => {
  it('without auth anyone may push; stop() ends it', async () => {
    const registry = await startDistributionRegistry({});
    const client = new RegistryClient({ credentials: { env: {}, useDockerConfig: false } });
    try {
      const layout = await writeDemoImage(join(work, 'layout'));
      const pushed = await pushImage(client, layout.dir, `${registry.host}/open/app:v1`);
      expect(pushed.digest).toBe(layout.manifestDigest);
      expect(await client.tags.list(`${registry.host}/open/app`).toArray()).toEqual(['v1']);
    } finally {
      await client.close();
      await registry.stop();
      await registry.stop(); // idempotent
    }
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('reports a program that exits at start, with its output', async () => {
    const fake = join(work, 'broken-registry');
    await writeFile(fake, '#!/bin/sh\necho "configuration error: nope" >&2\nexit 1\n');
    await chmod(fake, 0o755);
    await expect(startDistributionRegistry({ binary: fake, port: 1 })).rejects.toThrow(
      /broken-registry exited:\nconfiguration error: nope/,
    );
  });

  it('finds docker-registry on PATH, and only a program that says it is distribution', async () => {
    expect(findDistributionBinary()).toMatch(/\/(docker-)?registry$/);
    expect(findDistributionBinary('/nonexistent')).toBeUndefined();
    const dir = join(work, 'bin');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir);
    await writeFile(join(dir, 'registry'), '#!/bin/sh\necho "some other registry 1.0"\n');
    await chmod(join(dir, 'registry'), 0o755);
    expect(findDistributionBinary(dir)).toBeUndefined();
  });
});
