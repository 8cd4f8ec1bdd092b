/**
 * Hub API paths with every value encoded as one segment. A leaf module (no transport, no schemas), so
 * code that only needs a resource's constants does not load the request loop.
 */
import { ValidationError } from '../core/errors.js';

/** Builds a path from a template and values, encoding each value as one segment. */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce((out, s, i) => {
    if (i === 0) return s;
    const v = String(values[i - 1]);
    if (v === '' || v === '.' || v === '..') throw new ValidationError(`invalid path value "${v}"`);
    return `${out}${encodeURIComponent(v)}${s}`;
  }, '');
}
