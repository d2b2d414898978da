import { HeraldError } from '../../errors/herald-error.js';
import { fitColumn } from './fit.js';
import { stampOfUs } from './row-values.js';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, type TraceQuery } from './types.js';

/** A WHERE clause with its values; placeholders are produced by the dialect's `mark`. */
export interface WhereClause {
  readonly sql: string;
  readonly values: unknown[];
}

/** What `user` matches: the traced user, or any user the message names (as Homer searches). */
const USER_COLUMNS = ['traced_user', 'from_user', 'to_user', 'ruri_user'] as const;
const STATUS_CODE = /^[1-6]\d\d$/;
const STATUS_CLASS = /^([1-6])xx$/i;
const METHOD = /^[A-Za-z][A-Za-z0-9._!%*+`'~-]*$/;

/**
 * Builds the WHERE clause for a search. Every value is a bound parameter; only
 * fixed column names and the dialect's placeholders are written into the SQL.
 * @throws HeraldError HERALD_ERR_INVALID_PARAMS for a malformed method or status.
 */
export function buildWhere(query: TraceQuery, mark: (index: number) => string): WhereClause {
  const parts: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown): string => {
    values.push(value);
    return mark(values.length);
  };
  // Values are cut as stored (fit.ts): a Call-ID longer than its column still finds its rows.
  const equals = (columns: readonly string[], value: string): string => {
    const tests = columns.map((column) => `${column} = ${bind(fitColumn(value, column))}`);
    return tests.length === 1 ? tests[0] : `(${tests.join(' OR ')})`;
  };
  if (query.callid !== undefined) parts.push(equals(['callid'], query.callid));
  if (query.user !== undefined) parts.push(equals(USER_COLUMNS, query.user));
  if (query.fromUser !== undefined) parts.push(equals(['from_user'], query.fromUser));
  if (query.toUser !== undefined) parts.push(equals(['to_user'], query.toUser));
  if (query.ip !== undefined) parts.push(equals(['from_ip', 'to_ip'], query.ip));
  if (query.method !== undefined) {
    if (!METHOD.test(query.method)) throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Invalid method "${query.method}": a SIP method token such as INVITE`);
    parts.push(`method = ${bind(fitColumn(query.method.toUpperCase(), 'method'))}`);
  }
  if (query.status !== undefined) parts.push(statusCondition(query.status, bind));
  if (query.sinceUs !== undefined) parts.push(`time_stamp >= ${bind(stampOfUs(query.sinceUs))}`);
  if (query.untilUs !== undefined) parts.push(`time_stamp < ${bind(stampOfUs(Math.ceil(query.untilUs / 1e6) * 1e6))}`);
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, values };
}

function statusCondition(status: string, bind: (value: unknown) => string): string {
  if (STATUS_CODE.test(status)) return `status = ${bind(status)}`;
  const klass = STATUS_CLASS.exec(status);
  if (klass !== null) return `status LIKE ${bind(`${klass[1]}%`)}`;
  throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Invalid status "${status}": a reply code such as 486, or a class such as 4xx`);
}

/**
 * The row limit of a search.
 * @throws HeraldError HERALD_ERR_INVALID_PARAMS when not an integer in 1..MAX_SEARCH_LIMIT.
 */
export function searchLimit(query: TraceQuery): number {
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Invalid limit ${limit}: an integer from 1 to ${MAX_SEARCH_LIMIT}`);
  }
  return limit;
}
