/**
 * Replacing a file so that nothing is ever half-written: the content goes to a temp file beside the
 * target (same directory, so the rename is atomic), which is renamed into place only once it is complete;
 * on any failure the temp file is removed and the target is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Calls `write(temp)` to fill a temp file beside `target`, then renames it over `target`. */
export async function replaceFile(target: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await write(temp);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
