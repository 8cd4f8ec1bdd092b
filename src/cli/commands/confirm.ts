/** Asks before a destructive change; `--force` skips the question, and without a terminal we refuse. */
import { ValidationError } from '../../core/errors.js';

export async function confirmOrRefuse(
  question: string,
  force: boolean | undefined,
  confirm: ((q: string) => Promise<boolean>) | undefined,
  action: string,
): Promise<void> {
  if (force) return;
  if (!confirm)
    throw new ValidationError(
      `refusing to ${action} without confirmation: run in a terminal or pass --force`,
    );
  if (!(await confirm(`${question} [y/N] `))) throw new ValidationError('cancelled: nothing changed');
}
