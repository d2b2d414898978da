import { toError } from '../../errors/herald-error.js';
import type { StoreWriteResult } from './types.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** PostgreSQL SQLSTATE classes worth retrying: connection (08), resources (53), shutdown (57P), serialization (40). */
const PG_TRANSIENT = /^(08|53|57P|40)/;

/** MySQL/MariaDB errors worth retrying: lock wait, deadlock, too many connections, server gone, read-only. */
const MYSQL_TRANSIENT = new Set([1205, 1213, 1040, 1053, 2002, 2003, 2006, 2013, 1290]);

/**
 * Classifies a failed database write: network trouble, a restarting server or
 * lock contention may pass (retry the same batch), anything about the data
 * itself will not (give the batch up and count it).
 */
export function classifyWriteError(thrown: unknown): StoreWriteResult {
  const error = toError(thrown);
  const fields = error as Error & { code?: unknown; errno?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : '';
  const errno = typeof fields.errno === 'number' ? fields.errno : 0;
  const transient = NETWORK_CODES.has(code) || PG_TRANSIENT.test(code) || MYSQL_TRANSIENT.has(errno)
    || /Connection terminated|connection timeout|Cannot enqueue/i.test(error.message);
  return transient ? { status: 'retryable', error } : { status: 'failed', error };
}
