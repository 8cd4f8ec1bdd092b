/**
 * What every command shares for its flags: values checked and converted before any request, listings
 * (first page, or every page with --all), and the confirmation asked before a destructive change.
 */
import { ValidationError } from '../../core/errors.js';
import type { PagedList } from '../../core/pagination.js';

/** Only the first page (the default for listings; `--all` walks them all). */
export async function firstPage<T>(list: PagedList<T>): Promise<T[]> {
  const first = await list.pages().next();
  return first.done ? [] : first.value.items;
}

export async function listed<T>(list: PagedList<T>, all: boolean | undefined): Promise<T[]> {
  return all ? list.toArray() : firstPage(list);
}

/** `--page-size` (1-100), else 100 when walking every page, else 25. */
export function listPageSize(flags: { all?: boolean; pageSize?: string }): number {
  return integerFlag('--page-size', flags.pageSize, 1, 100) ?? (flags.all ? 100 : 25);
}

export function integerFlag(
  flag: string,
  v: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ValidationError(`${flag} must be an integer from ${min} to ${max}, got "${v}"`);
  return n;
}

export function booleanFlag(flag: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  throw new ValidationError(`${flag} must be true or false, got "${v}"`);
}

/**
 * Asks before a destructive change; `--force` skips the question, and without a terminal we refuse.
 * `action` completes "refusing to … without confirmation".
 */
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
