/**
 * Runs the CLI with injectable output streams, so tests can drive it in-process. User errors become one
 * line on stderr (a JSON object with --json) and a non-zero exit code, never a stack trace.
 */
import { CommanderError } from 'commander';
import { buildProgram, type ProgramIO } from './program.js';

export type CliIO = ProgramIO;

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  confirm: process.stdin.isTTY ? askYesNo : undefined,
};

async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function runCli(argv: string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    // commander has already printed help, the version, or its own usage error
    if (err instanceof CommanderError) return err.exitCode;
    const { formatCliError, exitCodeFor } = await import('./errors.js');
    io.stderr(`${formatCliError(err, argv.includes('--json'))}\n`);
    return exitCodeFor(err);
  }
}
