import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import {
  parseNotificationEnvelope,
  type RegistryOptions,
  type RunningEmulator,
  startEmulator,
  startRegistryFor,
} from '../../src/emulator/index.js';
import { parseRegistryMode } from '../../src/emulator/registry-launch.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({
    seed: { users: [{ username: 'alice', password: 'alice-password-1' }] },
    registry: { url: 'http://127.0.0.1:5999/' },
  });
});

afterAll(async () => {
  await emu?.stop();
});

const envelope = (events: unknown[]) => ({ events });
const pushEvent = (repository: string, tag: string | undefined, mediaType = MANIFEST) => ({
  id: 'e1',
  timestamp: new Date().toISOString(),
  action: 'push',
  target: { mediaType, size: 528, digest: DIGEST, length: 528, repository, ...(tag ? { tag } : {}) },
  actor: { name: 'alice' },
});

function post(
  body: unknown,
  secret: string | null = emu.registryEvents.secret,
  extra: Record<string, string> = {},
) {
  return fetch(emu.registryEvents.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/vnd.docker.distribution.events.v1+json',
      ...(secret ? { [emu.registryEvents.header]: secret } : {}),
      ...extra,
    },
    body: JSON.stringify(body),
  });
}

describe('POST /_emulator/registry-events', () => {
  it('names a registry you run, without spawning anything', () => {
    expect(emu.registry).toMatchObject({
      kind: 'external',
      url: 'http://127.0.0.1:5999',
      host: '127.0.0.1:5999',
    });
    expect(emu.registryEvents.url).toBe(`${emu.url}/_emulator/registry-events`);
    expect(emu.registryEvents.header).toBe('x-emulator-events-secret');
  });

  it('applies pushes from a notification envelope; blob pushes and pulls are ignored', async () => {
    const res = await post(
      envelope([
        pushEvent('alice/web', undefined, 'application/octet-stream'),
        { ...pushEvent('alice/web', 'v1'), action: 'pull' },
        pushEvent('alice/web', 'v1'),
      ]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ applied: 1 });
    const tags = (await fetch(`${emu.url}/v2/namespaces/alice/repositories/web/tags`).then((r) =>
      r.json(),
    )) as { results: unknown[] };
    expect(tags.results).toEqual([
      expect.objectContaining({ name: 'v1', digest: DIGEST, full_size: 528, last_updater_username: 'alice' }),
    ]);
  });

  it('refuses envelopes without the per-run secret and changes nothing', async () => {
    const before = emu.state.audit.length;
    expect((await post(envelope([pushEvent('alice/other', 'v1')]), null)).status).toBe(401);
    expect((await post(envelope([pushEvent('alice/other', 'v1')]), 'wrong')).status).toBe(401);
    expect(emu.state.repositories.has('alice/other')).toBe(false);
    expect(emu.state.audit.length).toBe(before);
    // A bearer in Authorization is not what this route checks, and is not refused as a bad Hub JWT.
    const withBearer = await post(envelope([]), emu.registryEvents.secret, { authorization: 'Bearer x' });
    expect(withBearer.status).toBe(200);
  });

  it('a delete by digest removes every tag that pointed at it', async () => {
    await post(envelope([pushEvent('alice/web', 'latest')]));
    expect([...emu.state.repositories.get('alice/web')!.tags.keys()].sort()).toEqual(['latest', 'v1']);
    await post(
      envelope([{ action: 'delete', target: { digest: DIGEST, repository: 'alice/web' }, actor: {} }]),
    );
    expect(emu.state.repositories.get('alice/web')?.tags.size).toBe(0);
    const deletes = emu.state.audit.filter((a) => a.action === 'tag.delete');
    expect(deletes.map((a) => [a.actor, a.data.tag])).toEqual([
      ['registry', 'v1'],
      ['registry', 'latest'],
    ]);
    // A delete in an unknown repository is harmless.
    expect(
      (await post(envelope([{ action: 'delete', target: { digest: DIGEST, repository: 'x/y' } }]))).status,
    ).toBe(200);
  });
});

describe('webhook deliveries', () => {
  it('records a delivery that failed, with the error', async () => {
    emu.state.webhooks.push({ repository: 'alice/hooked', url: 'http://127.0.0.1:9/unreachable' });
    await post(envelope([pushEvent('alice/hooked', 'v1')]));
    await emu.settle();
    expect(emu.state.audit.at(-1)).toMatchObject({
      action: 'webhook.deliver',
      actor: 'emulator',
      data: { repository: 'alice/hooked', event: 'push', error: expect.any(String) },
    });
  });
});

describe('parseNotificationEnvelope', () => {
  it('keeps manifest pushes by digest, tag deletes, and drops malformed events', () => {
    expect(
      parseNotificationEnvelope({
        events: [
          pushEvent('acme/app', undefined),
          { action: 'delete', target: { digest: DIGEST, repository: 'acme/app', tag: 'old' } },
          { action: 'push', target: { repository: 'acme/app' } },
          null,
          { action: 'mount', target: { digest: DIGEST, repository: 'acme/app' } },
        ],
      }),
    ).toEqual([
      {
        action: 'push',
        repository: 'acme/app',
        digest: DIGEST,
        mediaType: MANIFEST,
        size: 528,
        actor: 'alice',
      },
      { action: 'delete', repository: 'acme/app', digest: DIGEST, tag: 'old' },
    ]);
    expect(parseNotificationEnvelope({})).toEqual([]);
    expect(parseNotificationEnvelope(undefined)).toEqual([]);
  });
});

describe('choosing the registry', () => {
  const opts: RegistryOptions = { host: '127.0.0.1' };
  it('builtin and none as asked; auto takes the built-in registry when no registry program is on PATH', async () => {
    const builtin = await startRegistryFor('builtin', opts);
    expect(builtin).toMatchObject({ kind: 'builtin', host: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    await builtin?.stop();
    expect(await startRegistryFor('none', opts)).toBeUndefined();
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const auto = await startRegistryFor('auto', opts);
      expect(auto?.kind).toBe('builtin');
      await auto?.stop();
      await expect(startRegistryFor('distribution', opts)).rejects.toThrow(
        /no distribution registry on PATH/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('validates modes and registry URLs', async () => {
    expect(parseRegistryMode('distribution')).toBe('distribution');
    expect(() => parseRegistryMode('docker')).toThrow(ValidationError);
    await expect(startEmulator({ registry: { url: 'ftp://x' } })).rejects.toBeInstanceOf(ValidationError);
    await expect(startEmulator({ registry: { url: 'not a url' } })).rejects.toThrow(/not an absolute URL/);
  });
});
