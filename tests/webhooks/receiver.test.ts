/**
 * Webhook deliveries over loopback, as a sender would make them: valid pushes, malformed and incomplete
 * payloads, signatures, secret paths, replays, oversize bodies; and the CLI listener with --exec.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { ValidationError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import {
  createWebhookReceiver,
  DELIVERY_HEADER,
  deliverWebhook,
  type PushPayload,
  parseWebhookPayload,
  SIGNATURE_HEADER,
  signWebhookPayload,
  type WebhookEvent,
  type WebhookReceiver,
} from '../../src/webhooks/index.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const push: PushPayload = {
  callback_url: 'https://registry.hub.docker.com/u/acme/app/hook/abc/',
  push_data: { pushed_at: 1_700_000_000, pusher: 'ci-bot', tag: 'v1.2.3' },
  repository: { repo_name: 'acme/app', name: 'app', namespace: 'acme', is_private: true, status: 'Active' },
};

let work: string;
let receiver: WebhookReceiver | undefined;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dh-hooks-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.statusCode, body: (await res.body.json()) as { error?: string } };
}

describe('parseWebhookPayload', () => {
  it('reads a Docker Hub push payload into a typed event', () => {
    const e = parseWebhookPayload(JSON.stringify(push));
    expect(e).toMatchObject({ kind: 'push', repository: 'acme/app', tag: 'v1.2.3', pusher: 'ci-bot' });
    expect(e.at.toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('reads our delete extension', () => {
    const e = parseWebhookPayload({
      event: 'tag_delete',
      deleted_at: 1_700_000_000,
      tag: 'old',
      repository: { repo_name: 'acme/app' },
    });
    expect(e).toMatchObject({ kind: 'tag_delete', repository: 'acme/app', tag: 'old' });
  });

  it('names the missing or wrong field', () => {
    expect(() => parseWebhookPayload('{nope')).toThrow('invalid webhook payload: body is not JSON');
    const noTag = { ...push, push_data: { pushed_at: 1, pusher: 'x' } };
    expect(() => parseWebhookPayload(noTag)).toThrow(/push_data\.tag/);
    expect(() => parseWebhookPayload({ ...push, repository: {} })).toThrow(/repository\.repo_name/);
    expect(() => parseWebhookPayload([])).toThrow(ValidationError);
  });
});

describe('WebhookReceiver', () => {
  it('accepts a signed delivery and emits the event; refuses a bad signature with 401', async () => {
    receiver = createWebhookReceiver({ secret: SENTINEL });
    const events: WebhookEvent[] = [];
    receiver.on('event', (e) => events.push(e));
    const { url } = await receiver.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const result = await deliverWebhook(url, push, { secret: SENTINEL });
    expect(result.status).toBe(202);
    expect(events.map((e) => e.tag)).toEqual(['v1.2.3']);
    const body = JSON.stringify({ ...push, push_data: { ...push.push_data, tag: 'other' } });
    const forged = await post(url, body, { [SIGNATURE_HEADER]: signWebhookPayload(body, 'wrong-secret') });
    expect(forged).toEqual({ status: 401, body: { error: 'missing or invalid signature' } });
    expect((await post(url, body)).status).toBe(401);
  });

  it('answers 400 naming the field, 409 for a replay, 413 for an oversize body, 405 for GET', async () => {
    receiver = createWebhookReceiver({ maxBodyBytes: 4096 });
    const { url } = await receiver.listen();
    const bad = await post(url, JSON.stringify({ ...push, push_data: { pusher: 'x', tag: 't' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^invalid webhook payload: push_data\.pushed_at/);
    const body = JSON.stringify(push);
    expect((await post(url, body, { [DELIVERY_HEADER]: 'd-1' })).status).toBe(202);
    expect(await post(url, body, { [DELIVERY_HEADER]: 'd-1' })).toEqual({
      status: 409,
      body: { error: 'replayed delivery' },
    });
    // Without a delivery id, the same body twice is a replay too.
    const other = JSON.stringify({ ...push, push_data: { ...push.push_data, tag: 'x' } });
    expect((await post(url, other)).status).toBe(202);
    expect((await post(url, other)).status).toBe(409);
    const huge = JSON.stringify({ ...push, padding: 'x'.repeat(10_000) });
    expect((await post(url, huge)).status).toBe(413);
    const get = await request(url);
    expect(get.statusCode).toBe(405);
    await get.body.dump();
  });

  it('authenticates by secret path when asked', async () => {
    receiver = createWebhookReceiver({ secret: SENTINEL, secretPath: true });
    const { url } = await receiver.listen();
    expect((await post(`${url}hooks/${SENTINEL}`, JSON.stringify(push))).status).toBe(202);
    expect((await post(`${url}hooks/guess`, JSON.stringify(push))).status).toBe(401);
  });
});

describe('dockerhub webhooks listen', () => {
  async function listen(
    args: string[],
    env: Record<string, string | undefined>,
    act: (url: string) => Promise<void>,
  ) {
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    let resolveUrl: (u: string) => void = () => undefined;
    const listening = new Promise<string>((r) => {
      resolveUrl = r;
    });
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const done = runCli(['webhooks', 'listen', ...args], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      isTTY: false,
      signal: controller.signal,
      onListening: resolveUrl,
    });
    try {
      await act(await listening);
    } finally {
      controller.abort();
      process.env = saved;
    }
    const code = await done;
    return { code, stdout, stderr };
  }

  it('prints events as JSON lines and rejections on stderr, never the secret', async () => {
    const res = await listen([], { DOCKERHUB_WEBHOOK_SECRET: SENTINEL }, async (url) => {
      await deliverWebhook(url, push, { secret: SENTINEL });
      await post(url, JSON.stringify(push), { [SIGNATURE_HEADER]: 'sha256=00' });
    });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout.trim())).toMatchObject({
      kind: 'push',
      repository: 'acme/app',
      tag: 'v1.2.3',
    });
    expect(res.stderr).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/ \(signature required\)/);
    expect(res.stderr).toContain('{"rejected":{"status":401,"reason":"missing or invalid signature"}}');
    expect(res.stdout + res.stderr).not.toContain(SENTINEL);
  });

  it('--exec runs the handler with the event JSON on stdin', async () => {
    const out = join(work, 'event.json');
    const script = join(work, 'handler.mjs');
    await writeFile(
      script,
      `import { writeFileSync } from 'node:fs';\nlet s='';process.stdin.on('data',d=>s+=d).on('end',()=>writeFileSync(${JSON.stringify(out)}, s));\n`,
    );
    await chmod(script, 0o755);
    await listen(['--exec', `${process.execPath} ${script}`], {}, async (url) => {
      await deliverWebhook(url, push);
      for (let i = 0; i < 100; i++) {
        if (await readFile(out, 'utf8').catch(() => '')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ kind: 'push', pusher: 'ci-bot' });
  });

  it('refuses --secret-path without a secret, in one line', async () => {
    const { code, stderr } = await (async () => {
      let err = '';
      const c = await runCli(['webhooks', 'listen', '--secret-path'], {
        stdout: () => undefined,
        stderr: (t) => {
          err += t;
        },
        isTTY: false,
      });
      return { code: c, stderr: err };
    })();
    expect(code).toBe(2);
    expect(stderr).toBe('dockerhub: --secret-path needs a secret in DOCKERHUB_WEBHOOK_SECRET\n');
  });

  it('logs nothing secret even at trace level', () => {
    let text = '';
    const sink = {
      write: (t: string) => {
        text += t;
        return true;
      },
    };
    const log = createLogger({ level: 'trace', destination: sink as unknown as NodeJS.WritableStream });
    log.debug(
      { secret: SENTINEL, headers: { [SIGNATURE_HEADER]: signWebhookPayload('x', SENTINEL) } },
      'delivery',
    );
    expect(text).toContain('delivery');
    expect(text).not.toContain(SENTINEL);
  });
});
