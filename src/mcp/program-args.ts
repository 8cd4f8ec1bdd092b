/**
 * Command-line reading shared by the two server programs (`dockerhub-mcp`, and `dockerhub-agent`, which
 * builds on this folder): argv parsed by commander with one-line errors, integer flags, and the process's
 * output streams behind an interface that tests replace.
 */
import { type Command, CommanderError, type OptionValues } from 'commander';
import { ValidationError } from '../core/errors.js';

export interface RunIO {
  stderr(text: string): void;
  stdout(text: string): void;
}

export const processIO: RunIO = {
  stderr: (t) => process.stderr.write(t),
  stdout: (t) => process.stdout.write(t),
};

/**
 * Parses argv into the program's flags. `--help` and `--version` surface as CommanderError (exit code 0)
 * after commander printed them through `out`; every other problem is a ValidationError with a one-line message.
 */
export function parseProgramArgs<T extends OptionValues>(
  cmd: Command,
  argv: readonly string[],
  out: (text: string) => void,
): T {
  cmd.configureOutput({ writeOut: out, writeErr: () => {} });
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) throw err;
    const message = err instanceof Error ? err.message.replace(/^error: /, '') : String(err);
    throw new ValidationError(message);
  }
  return cmd.opts<T>();
}

/** An integer flag or variable within [min, max]; absent or empty gives undefined. */
export function integerArg(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new ValidationError(`${name} must be an integer, not "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ValidationError(`${name} must be from ${min} to ${max}, not ${n}`);
  return n;
}
