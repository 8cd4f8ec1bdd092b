/**
 * `dockerhub webhooks listen`: runs a receiver until Ctrl-C, printing each event as a JSON line or
 * handing it to a command (`--exec`, no shell, JSON on stdin, bounded time and concurrency).
 */
import { spawn } from 'node:child_process';
import { ValidationError } from '../../core/errors.js';
import { createLimiter } from '../../registry/transfer/limit.js';
import { createWebhookReceiver, type WebhookEvent } from '../../webhooks/index.js';

export interface ListenFlags {
  port?: string;
  host?: string;
  secretEnv?: string;
  secretPath?: boolean;
  exec?: string;
  maxBody?: string;
  execTimeout?: string;
}

export interface ListenIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Called once the receiver listens (tests use it to learn the port). */
  onListening?: (url: string) => void;
}

function intFlag(value: string | undefined, flag: string, min: number, max: number, def: number): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

function eventJson(e: WebhookEvent): string {
  const { payload, ...rest } = e;
  return JSON.stringify({ ...rest, at: e.at.toISOString(), payload });
}

/** Runs `argv` with the event JSON on stdin; rejects on non-zero exit or timeout. */
function runHandler(argv: string[], input: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, { stdio: ['pipe', 'inherit', 'inherit'], timeout: timeoutMs });
    child.on('error', (err) => reject(new ValidationError(`--exec ${cmd}: ${err.message}`)));
    child.on('close', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`--exec ${cmd} ${signal ? `stopped by ${signal}` : `exited with ${code}`}`)),
    );
    child.stdin.end(input);
  });
}

export async function listenCommand(flags: ListenFlags, io: ListenIO): Promise<{ events: number }> {
  const port = intFlag(flags.port, '--port', 0, 65535, 0);
  const maxBodyBytes = intFlag(flags.maxBody, '--max-body', 1, 64 * 1024 * 1024, 1024 * 1024);
  const timeoutMs = intFlag(flags.execTimeout, '--exec-timeout', 1, 3600, 30) * 1000;
  const secretVar = flags.secretEnv ?? 'DOCKERHUB_WEBHOOK_SECRET';
  const secret = io.env[secretVar] || undefined;
  if (flags.secretEnv && !secret)
    throw new ValidationError(`--secret-env ${secretVar}: that variable is not set`);
  if (flags.secretPath && !secret) throw new ValidationError(`--secret-path needs a secret in ${secretVar}`);
  const argv = flags.exec?.trim().split(/\s+/).filter(Boolean);
  if (flags.exec !== undefined && !argv?.length) throw new ValidationError('--exec needs a command');

  const receiver = createWebhookReceiver({
    host: flags.host,
    port,
    secret,
    secretPath: flags.secretPath,
    maxBodyBytes,
  });
  const limit = createLimiter(4);
  let events = 0;
  receiver.on('event', (e) => {
    events++;
    const line = eventJson(e);
    if (!argv) {
      io.stdout(`${line}\n`);
      return;
    }
    limit(() => runHandler(argv, line, timeoutMs)).catch((err: Error) =>
      io.stderr(`dockerhub: ${err.message}\n`),
    );
  });
  receiver.on('rejected', (r) => io.stderr(`${JSON.stringify({ rejected: r })}\n`));
  const { url } = await receiver.listen();
  const where = flags.secretPath ? `${url}hooks/<secret>` : url;
  io.stderr(`listening on ${where}${secret && !flags.secretPath ? ' (signature required)' : ''}\n`);
  io.onListening?.(url);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await receiver.close();
  return { events };
}
