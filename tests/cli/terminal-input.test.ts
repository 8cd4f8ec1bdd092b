/** The login command's input: a pipe read to EOF, and a prompt whose hidden answer is never echoed. */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ask, readAll } from '../../src/cli/terminal-input.js';

const SENTINEL = 'SENTINEL-s3cr3t-do-not-leak';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _e, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

describe('terminal input', () => {
  it('reads a pipe to EOF and refuses an oversized one', async () => {
    const pipe = new PassThrough();
    pipe.end(`${SENTINEL}\n`);
    expect(await readAll(pipe)).toBe(`${SENTINEL}\n`);
    const big = new PassThrough();
    big.end('x'.repeat(20));
    await expect(readAll(big, 10)).rejects.toThrow('more than 10 characters on stdin');
  });

  it('asks for a secret without echoing what is typed', async () => {
    const input = new PassThrough();
    const out = sink();
    const answer = ask('Password: ', true, { input, output: out.stream });
    setTimeout(() => input.write(`${SENTINEL}\r`), 10);
    expect(await answer).toBe(SENTINEL);
    expect(out.text()).not.toContain(SENTINEL);
    expect(out.text().startsWith('Password: ')).toBe(true);
    expect(out.text().endsWith('\n')).toBe(true);
  });

  it('echoes an ordinary answer', async () => {
    const input = new PassThrough();
    const out = sink();
    const answer = ask('Username: ', false, { input, output: out.stream });
    setTimeout(() => input.write('carol\r'), 10);
    expect(await answer).toBe('carol');
    expect(out.text()).toContain('carol');
  });
});
