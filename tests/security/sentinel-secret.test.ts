/**
 * No secret ever leaks: the built CLI runs with a sentinel password (from a Docker config and from env)
 * at trace log level, on success and failure paths, and every byte it prints is searched for the
 * sentinel, in plain form and as it would appear base64-encoded in a Basic header.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectImage, RegistryClient } from '../../src/registry/index.js';
import { BUILT_CLI, runBuiltCli } from '../helpers/cli.js';
import { writeOciLayout } from '../helpers/oci-image.js';
import { type RunningRegistry, startRegistry } from '../helpers/registry.js';
import { pushLayout } from '../helpers/skopeo.js';
import { startTokenServer, type TokenServer } from '../helpers/token-server.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';
const USER = 'sentinel-user';

let tokens: TokenServer;
let registry: RunningRegistry;
let work: string;
let goodConfig: string;
let badConfig: string;
const captured: string[] = [];

function forms(secret: string): string[] {
  return [
    secret,
    Buffer.from(`${USER}:${secret}`).toString('base64'),
    Buffer.from(secret).toString('base64'),
  ];
}

async function writeDockerConfig(dir: string, host: string, password: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const auth = Buffer.from(`${USER}:${password}`).toString('base64');
  await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }));
  return dir;
}

async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const run = await runBuiltCli(args, { PATH: process.env.PATH ?? '', HOME: work, ...env });
  captured.push(run.out);
  return run;
}

beforeAll(async () => {
  tokens = await startTokenServer({ users: { [USER]: SENTINEL }, anonymousActions: [] });
  registry = await startRegistry({ auth: 'token', tokenServer: tokens });
  work = await mkdtemp(join(tmpdir(), 'dh-sentinel-'));
  const layout = await writeOciLayout(join(work, 'img'), { tag: 't', layers: [100] });
  await pushLayout(layout.dir, 't', `${registry.host}/s/img:t`, `${USER}:${SENTINEL}`);
  goodConfig = await writeDockerConfig(join(work, 'good'), registry.host, SENTINEL);
  badConfig = await writeDockerConfig(join(work, 'bad'), registry.host, `${SENTINEL}-wrong`);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await tokens?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('sentinel secret', () => {
  it('never appears in CLI stdout, stderr or trace logs, on success or failure', async () => {
    const env = {
      DOCKERHUB_LOG_LEVEL: 'trace',
      DOCKER_HUB_USER: USER,
      DOCKER_HUB_TOKEN: SENTINEL,
      DOCKERHUB_JWT: `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(SENTINEL).toString('base64url')}.c2lnbmF0dXJl`,
    };
    const ok = await runCli(['inspect', `${registry.host}/s/img:t`], { ...env, DOCKER_CONFIG: goodConfig });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('"msg":"http"'); // trace logging really was on
    const json = await runCli(['--json', 'tags', `${registry.host}/s/img`], {
      ...env,
      DOCKER_CONFIG: goodConfig,
    });
    expect(json.code).toBe(0);
    const denied = await runCli(['inspect', `${registry.host}/s/img:t`], {
      ...env,
      DOCKER_CONFIG: badConfig,
    });
    expect(denied.code).toBe(1);
    expect(denied.out).toMatch(/refused the credentials/);
    const deniedJson = await runCli(['--json', 'digest', `${registry.host}/s/img:t`], {
      ...env,
      DOCKER_CONFIG: badConfig,
    });
    expect(deniedJson.code).toBe(1);

    for (const out of captured) {
      for (const form of [...forms(SENTINEL), ...forms(`${SENTINEL}-wrong`)]) expect(out).not.toContain(form);
    }
  });

  it('never appears in what the webhook listener prints, on accepted or refused deliveries', async () => {
    const child = spawn(process.execPath, [BUILT_CLI, 'webhooks', 'listen'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        DOCKERHUB_WEBHOOK_SECRET: SENTINEL,
        DOCKERHUB_LOG_LEVEL: 'trace',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const url = await new Promise<string>((resolve) => {
      child.stderr.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1] as string);
      });
    });
    const { deliverWebhook, createPushPayload } = await import('../../src/webhooks/index.js');
    const payload = createPushPayload({ repository: 'acme/app', tag: 'v1', pusher: 'ci' });
    await deliverWebhook(url, payload, { secret: SENTINEL });
    await deliverWebhook(url, payload, { secret: `${SENTINEL}-wrong` }).catch(() => undefined);
    child.kill('SIGTERM');
    await new Promise((r) => child.on('close', r));
    expect(out).toContain('acme/app');
    for (const form of [...forms(SENTINEL), ...forms(`${SENTINEL}-wrong`)]) expect(out).not.toContain(form);
  });

  it('never appears in SDK errors, however they are printed', async () => {
    const client = new RegistryClient({
      credentials: { username: USER, password: `${SENTINEL}-wrong`, env: {}, useDockerConfig: false },
    });
    const err = await inspectImage(client, `${registry.host}/s/img:t`).catch((e) => e);
    await client.close();
    expect(err).toBeInstanceOf(Error);
    const printed = [
      String(err),
      err.message,
      err.stack ?? '',
      JSON.stringify(err),
      inspect(err, { depth: 10 }),
    ].join('\n');
    for (const form of forms(`${SENTINEL}-wrong`)) expect(printed).not.toContain(form);
    for (const form of forms(SENTINEL)) expect(printed).not.toContain(form);
  });
});
