/** Runs the CLI in-process and captures what a user would see on stdout and stderr. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], opts: { isTTY?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: opts.isTTY ?? false,
  });
  return { code, stdout, stderr };
}

/** The bundled `dockerhub` executable, as `npm run build` leaves it and as users run it. */
export const BUILT_CLI = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'dockerhub.js');

export interface BuiltCliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived: everything a user would see. */
  out: string;
}

/**
 * Runs the built CLI as its own process with exactly `env` (no inherited environment beyond what is
 * given) and optional standard input.
 */
export function runBuiltCli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<BuiltCliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], {
      env,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const run = { stdout: '', stderr: '', out: '' };
    child.stdout?.on('data', (d) => {
      run.stdout += d;
      run.out += d;
    });
    child.stderr?.on('data', (d) => {
      run.stderr += d;
      run.out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, ...run }));
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** The steps `dockerhub demo` prints, in order (the first word of each line of its output). */
export const DEMO_STEPS = [
  'start',
  'login',
  'create',
  'build',
  'push',
  'hub-tags',
  'reg-tags',
  'inspect',
  'delete',
  'cleanup',
  'stop',
];
