/**
 * `dockerhub webhooks listen`: runs a receiver until Ctrl-C (or SIGTERM), printing each event as a JSON
 * line on stdout or handing it to a command (`--exec`: no shell, event JSON on stdin, bounded time and
 * concurrency). Rejections go to stderr as JSON lines. The shared secret comes from the environment only.
 */
import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { ValidationError } from '../../core/errors.js';
import { createLimiter } from '../../registry/transfer/limit.js';
import {
  createWebhookReceiver,
  MIN_SECRET_LENGTH,
  type WebhookEvent,
  webhookEventToJSON,
} from '../../webhooks/index.js';

export const DEFAULT_SECRET_ENV = 'DOCKERHUB_WEBHOOK_SECRET';

export interface ListenFlags {
  port?: string;
  host?: string;
  secretEnv?: string;
  secretPath?: boolean;
  exec?: string;
  execTimeout?: string;
  execConcurrency?: string;
  maxBody?: string;
}

export interface ListenIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborting it stops the listener gracefully. */
  signal: AbortSignal;
  /** Called once the receiver listens (tests use it to learn the port). */
  onListening?: (url: string) => void;
}

function intFlag(value: string | undefined, flag: string, min: number, max: number, def: number): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new ValidationError(`${flag} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/**
 * Splits a command line into argv the way a user expects from a shell, without a shell: whitespace
 * separates words, 'single' and "double" quotes group them, backslash escapes the next character
 * (outside single quotes). No globbing, variables or pipes.
 */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new ValidationError(`--exec: unterminated ${quote} quote`);
  if (inWord) out.push(word);
  return out;
}

function describeEvent(e: WebhookEvent): string {
  const tag = e.kind === 'repository_delete' || !e.tag ? '' : `:${e.tag}`;
  return `${e.kind} ${e.repository}${tag}`;
}

interface HandlerOptions {
  argv: string[];
  input: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the handler once with `input` on stdin. Rejects with a one-line reason on failure or timeout. */
function runHandler(o: HandlerOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = o.argv as [string, ...string[]];
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: o.env, shell: false });
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      // A handler that ignores SIGTERM still must not hold a slot forever.
      kill = setTimeout(() => child.kill('SIGKILL'), 2_000);
    }, o.timeoutMs);
    // Handler output is passed through (decoded as UTF-8 across chunk boundaries).
    child.stdout.setEncoding('utf8').on('data', (d: string) => o.stdout(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => o.stderr(d));
    // A handler that exits without reading its stdin is fine: ignore the broken pipe.
    child.stdin.on('error', () => undefined);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        err.code === 'ENOENT' ? 'command not found' : err.code === 'EACCES' ? 'not executable' : err.message;
      reject(new Error(`cannot run ${cmd}: ${why}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (kill) clearTimeout(kill);
      if (timedOut) reject(new Error(`${cmd} timed out after ${o.timeoutMs / 1000}s`));
      else if (code === 0) resolve();
      else reject(new Error(`${cmd} ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}`));
    });
    child.stdin.end(`${o.input}\n`);
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export async function listenCommand(flags: ListenFlags, io: ListenIO): Promise<{ events: number }> {
  const port = intFlag(flags.port, '--port', 0, 65535, 0);
  const maxBodyBytes = intFlag(flags.maxBody, '--max-body', 1, 64 * 1024 * 1024, 1024 * 1024);
  const timeoutMs = intFlag(flags.execTimeout, '--exec-timeout', 1, 3600, 30) * 1000;
  const concurrency = intFlag(flags.execConcurrency, '--exec-concurrency', 1, 64, 4);
  const host = flags.host ?? '127.0.0.1';
  if (!host.trim()) throw new ValidationError('--host must not be empty');

  const secretVar = flags.secretEnv ?? DEFAULT_SECRET_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(secretVar)) {
    throw new ValidationError(`--secret-env must be an environment variable name, got "${secretVar}"`);
  }
  const secret = io.env[secretVar] || undefined;
  if (flags.secretEnv && !secret) throw new ValidationError(`--secret-env: ${secretVar} is not set`);
  if (flags.secretPath && !secret) throw new ValidationError(`--secret-path needs a secret in ${secretVar}`);
  if (secret && secret.length < MIN_SECRET_LENGTH) {
    throw new ValidationError(`${secretVar} must be at least ${MIN_SECRET_LENGTH} characters long`);
  }

  let argv: string[] | undefined;
  if (flags.exec !== undefined) {
    argv = splitCommand(flags.exec);
    if (argv.length === 0) throw new ValidationError('--exec needs a command');
  }
  // Handlers get our environment minus the shared secret: they are told about events, not trusted with it.
  const childEnv: NodeJS.ProcessEnv = { ...io.env };
  delete childEnv[secretVar];
  delete childEnv[DEFAULT_SECRET_ENV];

  const maxWaiting = concurrency * 25;
  let waiting = 0;
  const running = new Set<Promise<void>>();
  const limit = createLimiter(concurrency);

  const receiver = createWebhookReceiver({
    host,
    port,
    secret,
    secretPath: flags.secretPath,
    maxBodyBytes,
    // With --exec, refuse (503, the sender retries) rather than queue without bound.
    overloaded: argv ? () => waiting >= maxWaiting : undefined,
  });
  let events = 0;
  receiver.on('event', (e) => {
    events++;
    const line = JSON.stringify(webhookEventToJSON(e));
    if (!argv) {
      io.stdout(`${line}\n`);
      return;
    }
    const handlerArgv = argv;
    waiting++;
    const task = limit(() => {
      waiting--;
      return runHandler({
        argv: handlerArgv,
        input: line,
        timeoutMs,
        env: childEnv,
        stdout: io.stdout,
        stderr: io.stderr,
      });
    })
      .catch((err: Error) => io.stderr(`dockerhub: --exec failed for ${describeEvent(e)}: ${err.message}\n`))
      .finally(() => running.delete(task));
    running.add(task);
  });
  receiver.on('rejected', (r) =>
    io.stderr(
      `${JSON.stringify({ rejected: { status: r.status, reason: r.reason, deliveryId: r.deliveryId } })}\n`,
    ),
  );

  const { url } = await receiver.listen();
  const where = flags.secretPath ? `${url}hooks/<secret from ${secretVar}>` : url;
  const auth = !secret ? '' : flags.secretPath ? '' : ' (X-Hub-Signature-256 required)';
  io.stderr(`listening on ${where}${auth}; Ctrl-C stops\n`);
  if (!isLoopback(host) && !secret) {
    io.stderr(
      `warning: listening on ${host} without a secret: anyone who can reach this port can post events\n`,
    );
  }
  io.onListening?.(url);

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  // Graceful: stop accepting, let deliveries in progress finish, then let started handlers finish.
  await receiver.close({ graceMs: 5_000 });
  if (running.size > 0) {
    io.stderr(`waiting for ${running.size} --exec handler(s) to finish\n`);
    await Promise.allSettled([...running]);
  }
  io.stderr(`stopped after ${events} event(s)\n`);
  return { events };
}
