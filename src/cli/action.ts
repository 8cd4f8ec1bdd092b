/** What every command action does: run the command with the global options and print its result. */
import { type Command, CommanderError } from 'commander';
import type { CommandResult } from './commands/registry-read.js';
import type { GlobalOptions } from './context.js';
import type { ProgramIO } from './program.js';

export type Runner = (globals: GlobalOptions) => Promise<CommandResult>;

/** Accumulates a repeatable option (commander's argParser). */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

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

type Closable = { close(): Promise<void> };

export async function withClient<C extends Closable, T>(client: C, fn: (c: C) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Runs `fn` with a client made from the global options, closed afterwards. */
export function runWithClient<C extends Closable>(
  cmd: Command,
  io: ProgramIO,
  makeClient: (g: GlobalOptions) => Promise<C>,
  fn: (client: C) => Promise<CommandResult>,
): Promise<void> {
  return run(cmd, io, async (g) => withClient(await makeClient(g), fn));
}

/** A destructive command's question; `action` completes "refusing to … without confirmation". */
export interface Confirmation {
  question: string;
  action: string;
  force: boolean | undefined;
}

/** Asks first (or takes --force); only then makes a client allowed destructive operations. */
export async function runConfirmed<C extends Closable>(
  cmd: Command,
  io: ProgramIO,
  ask: Confirmation,
  makeClient: (g: GlobalOptions, allowDestructive: boolean) => Promise<C>,
  fn: (client: C) => Promise<CommandResult>,
): Promise<void> {
  const { confirmOrRefuse } = await import('./commands/cli-values.js');
  await confirmOrRefuse(ask.question, ask.force, io.confirm, ask.action);
  await runWithClient(cmd, io, (g) => makeClient(g, true), fn);
}
