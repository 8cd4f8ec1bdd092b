/** What the login command reads from the user: all of stdin (a pipe), or an answer typed at a prompt. */
import type { Readable, Writable } from 'node:stream';
import { ValidationError } from '../core/errors.js';

/** Everything on `input` up to EOF, refusing more than `max` characters (a password is never that long). */
export async function readAll(input: Readable = process.stdin, max = 64 * 1024): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += chunk;
    if (text.length > max) throw new ValidationError(`more than ${max} characters on stdin`);
  }
  return text;
}

/** Asks `question` on `output` (stderr); with `hidden`, what is typed is not echoed. */
export async function ask(
  question: string,
  hidden: boolean,
  streams: { input?: Readable; output?: Writable } = {},
): Promise<string> {
  const { createInterface } = await import('node:readline');
  const { Writable } = await import('node:stream');
  const target = streams.output ?? process.stderr;
  let muted = false;
  // readline echoes through its output; this one drops the echo while the secret is typed.
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) target.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: streams.input ?? process.stdin, output, terminal: true });
  try {
    target.write(question);
    muted = hidden;
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    if (hidden) target.write('\n');
  }
}
