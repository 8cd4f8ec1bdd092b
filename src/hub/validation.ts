/** Input checks that run before any request: dates as RFC 3339 UTC date-times, emails, and checked calls. */
import { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';

/** Runs `check` first, so that bad input rejects the returned promise (not a synchronous throw). */
export function validated<T>(check: () => void, call: () => APIPromise<T>): APIPromise<T> {
  return APIPromise.from(async () => {
    check();
    return call().withResponse();
  });
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `2025-01-31`, `2025-01-31T12:00:00Z`, `2025-01-31T12:00+02:00` or a Date, as `2025-01-31T00:00:00.000Z`.
 * A date alone means midnight UTC; a time without an offset is read in the local time zone.
 */
export function toDateTime(value: string | Date, what: string): string {
  const ms = value instanceof Date ? value.getTime() : ISO_LIKE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new ValidationError(
      `${what} "${String(value)}" is not a date or date-time (e.g. 2025-01-31T12:00:00Z)`,
    );
  return new Date(ms).toISOString();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The shape of an email address (something@domain.tld, no spaces); what Docker checks is its own business. */
export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

/** `page` ≥ 1 and `page_size` ≥ 1 (and at most `maxPageSize` where the endpoint caps it), as integers. */
export function assertPaging(query: { page?: number; page_size?: number }, maxPageSize?: number): void {
  if (query.page !== undefined && (!Number.isInteger(query.page) || query.page < 1))
    throw new ValidationError(`page must be a positive integer, got ${query.page}`);
  const size = query.page_size;
  if (size === undefined) return;
  if (maxPageSize === undefined) {
    if (!Number.isInteger(size) || size < 1)
      throw new ValidationError(`page_size must be a positive integer, got ${size}`);
  } else if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw new ValidationError(`page_size must be an integer from 1 to ${maxPageSize}, got ${size}`);
  }
}

/** An account (user or organization) name as Docker Hub allows it, before it goes into a path. */
export function assertAccountName(what: string, value: string): void {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(value)) throw new ValidationError(`invalid ${what} name "${value}"`);
}

/** Personal and organization access token labels: 1-100 characters. */
export function assertTokenLabel(label: string | undefined): void {
  if (!label || label.length > 100) throw new ValidationError('token label must be 1-100 characters');
}
