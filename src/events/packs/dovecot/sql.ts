import { param } from '../../params.js';
import { defineDovecotEvent } from './operation.js';

/**
 * SQL events, raised by Dovecot's SQL library (Cassandra included). Dovecot
 * category `sql`; each event also carries its driver's child category
 * (mysql, pgsql, sqlite, cassandra), which varies per connection, so `sql`
 * is the most specific fixed one.
 */
const CATEGORY = 'sql';
const ALSO = 'Dovecot categories: sql plus the driver (mysql, pgsql, sqlite or cassandra).';

const sqlError = {
  error: param.string('Human-readable error; set only on failure.').optional(),
  error_code: param.int('The driver error code, when the failure has one.').optional(),
};

export const sql_query_finished = defineDovecotEvent({
  name: 'sql_query_finished',
  category: CATEGORY,
  level: 'info',
  description: `A response was received to an SQL query. ${ALSO}`,
  params: {
    ...sqlError,
    query_first_word: param.string('The first word of the query, such as SELECT.'),
  },
});

export const sql_transaction_finished = defineDovecotEvent({
  name: 'sql_transaction_finished',
  category: CATEGORY,
  level: 'info',
  description: `An SQL transaction was committed or rolled back. ${ALSO}`,
  params: sqlError,
});

export const sql_connection_finished = defineDovecotEvent({
  name: 'sql_connection_finished',
  category: CATEGORY,
  level: 'info',
  description: `The connection to the SQL server was closed. ${ALSO}`,
  params: {},
});

export const sqlEvents = [sql_query_finished, sql_transaction_finished, sql_connection_finished] as const;
