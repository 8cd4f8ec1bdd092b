/**
 * Audit logs (spec tag `audit-logs`): the events of an organization or user account, newest first, and
 * the catalogue of actions to filter them by. Docker's response carries no count and no `next`: the list
 * asks for the next page until one comes back short.
 */
import type { APIPromise } from '../core/api-promise.js';
import { ValidationError } from '../core/errors.js';
import { PagedList } from '../core/pagination.js';
import type { HubClient } from './client.js';
import { path } from './path.js';
import { auditLogPageSchema } from './response-schemas.js';
import type { HubSchemas, Lenient, SpecQuery } from './spec-types.js';
import { assertAccountName, assertPaging, toDateTime, validated } from './validation.js';

/** One event: the spec's `AuditLog`. */
export type AuditLogEvent = Lenient<HubSchemas['AuditLog']>;

/** The spec's query parameters of `AuditLogs_ListAuditLogs`, with dates that may also be Date objects. */
export interface AuditLogFilters extends Omit<SpecQuery<'/v2/auditlogs/{account}', 'get'>, 'from' | 'to'> {
  /** A full action name, e.g. `repo.tag.push` (see `actions()`). */
  action?: string;
  /** Start of the time window (inclusive): a date, a date-time or a Date. */
  from?: string | Date;
  /** End of the time window. */
  to?: string | Date;
  /** Events per page (default 25, Docker's default; at most 100). */
  page_size?: number;
}

/** One action that can be filtered on: the spec's `AuditLogAction`. */
export type AuditLogAction = HubSchemas['AuditLogAction'];

/**
 * The spec's `GetAuditActionsResponse`: groups (e.g. `repo`, `org`) of actions; a group's action
 * `tag.push` filters as `repo.tag.push`.
 */
export type AuditLogActions = HubSchemas['GetAuditActionsResponse'];

const checkAccount = (account: string) => assertAccountName('account', account);

export class AuditLogs {
  constructor(private readonly hub: HubClient) {}

  list(account: string, filters: AuditLogFilters = {}): PagedList<AuditLogEvent> {
    checkAccount(account);
    const { from, to, page = 1, page_size = 25, ...rest } = filters;
    assertPaging({ page, page_size }, 100);
    const window = {
      from: from === undefined ? undefined : toDateTime(from, 'from'),
      to: to === undefined ? undefined : toDateTime(to, 'to'),
    };
    if (window.from && window.to && window.from > window.to)
      throw new ValidationError(`from (${window.from}) is after to (${window.to})`);
    return new PagedList(async (cursor) => {
      const current = cursor ? Number(cursor) : page;
      const res = await this.hub.call<{ logs?: AuditLogEvent[] }>({
        method: 'GET',
        path: path`/v2/auditlogs/${account}`,
        query: { ...rest, ...window, page: current, page_size },
        operation: 'docker.auditlog.list',
        schema: auditLogPageSchema,
        attributes: { account },
      });
      const items = res.logs ?? [];
      return { items, next: items.length < page_size ? undefined : String(current + 1) };
    });
  }

  actions(account: string): APIPromise<AuditLogActions> {
    return validated(
      () => checkAccount(account),
      () =>
        this.hub.call<AuditLogActions>({
          method: 'GET',
          path: path`/v2/auditlogs/${account}/actions`,
          operation: 'docker.auditlog.actions',
          attributes: { account },
        }),
    );
  }
}
