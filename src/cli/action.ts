/** What every command action does: run the command with the global options and print its result. */
import { type Command, CommanderError } from 'commander';
import type { CommandResult } from './commands/registry-read.js';
import type { GlobalOptions } from './context.js';
import type { ProgramIO } from './program.js';

export type Runner = (globals: GlobalOptions) => Promise<CommandResult>;

/** Ends a command whose result carries an exit status. runCli takes commander errors as already reported. */
export class CommandExit extends CommanderError {
  constructor(exitCode: number, message: string) {
    super(exitCode, 'dockerhub.exit', message);
    this.name = 'CommandExit';
  }
}

export async function run(cmd: Command, io: ProgramIO, runner: Runner): Promise<void> {
  const globals = cmd.optsWithGlobals() as GlobalOptions;
  const result = await runner(globals);
  if (globals.json) io.stdout(`${JSON.stringify(result.data, null, 2)}\n`);
  else io.stdout(result.text());
  const exit = result.exit;
  if (!exit || exit.code === 0) return;
  if (exit.reason) {
    io.stderr(
      globals.json ? `${JSON.stringify({ error: exit.reason })}\n` : `dockerhub: ${exit.reason.message}\n`,
    );
  }
  throw new CommandExit(exit.code, exit.reason?.message ?? `exit status ${exit.code}`);
}

export async function withClient<C extends { close(): Promise<void> }, T>(
  client: C,
  fn: (c: C) => Promise<T>,
): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
