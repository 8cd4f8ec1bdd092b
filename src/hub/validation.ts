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
