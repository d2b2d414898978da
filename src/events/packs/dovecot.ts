import type { EventDef } from '../define.js';
import { authClientEvents } from './dovecot/auth-client.js';
import { authServerEvents } from './dovecot/auth-server.js';
import { connectionEvents } from './dovecot/connection.js';
import { dnsEvents } from './dovecot/dns.js';
import { httpEvents } from './dovecot/http.js';
import { imapEvents } from './dovecot/imap.js';
import { mailEvents } from './dovecot/mail.js';
import { sqlEvents } from './dovecot/sql.js';

/**
 * The `dovecot` pack: every event of Dovecot's event list (wiki, v2.3) with
 * its exact event and field names, so Dovecot exports map onto it one to one
 * and operators can grep for the names they know.
 *
 * Choices, and why:
 * - **Levels.** Dovecot sends stats events at debug level. Here `_started`
 *   events and plain/intermediate events are `debug`; `_finished`,
 *   `_connected` and `_disconnected` events are `info`, so the default
 *   subscriber (info and above) records completed operations and connection
 *   lifecycles but not every intermediate step. The Dovecot list sets no
 *   other level.
 * - **Categories.** `category` is Dovecot's most specific fixed category
 *   (`auth`, `auth-client`, `http-client`, `imap`, `dns`, `dns-worker`,
 *   `sql`); the others Dovecot adds (`service:<name>`, the SQL driver) are
 *   named in each description. Connection events have no Dovecot category of
 *   their own and are filed under `connection`.
 * - **Pairs.** Where the list has both halves, `_started`/`_finished` come
 *   from `defineDovecotOperation`: the finished event is a child of the
 *   started one (Dovecot sends it on the same event object) and adds
 *   `duration` (µs). `_connected`/`_disconnected` are linked by `pairedWith`.
 * - **Parents.** "Fields from X" and "same fields as X" become `parent: X`.
 * - **Types.** `*_usecs` → `duration` (µs), `*_time` → `timestamp`, byte
 *   counts and counters → `int`, IPs → `ip`, ports → `port`.
 * - **Optional fields.** A field the list describes as conditional (errors,
 *   master-user and policy fields, "if present") is optional; Dovecot omits
 *   such fields rather than sending them empty.
 * - **Global fields.** Dovecot's exporter adds `duration` and `reason_code`
 *   (a string list) to every event it sends. Herald stamps its own event
 *   time, so only the `_finished` halves of pairs declare `duration`, and the
 *   other events keep exactly the fields the list gives them.
 */
export const dovecotPack: readonly EventDef[] = [
  ...authServerEvents,
  ...authClientEvents,
  ...connectionEvents,
  ...httpEvents,
  ...imapEvents,
  ...mailEvents,
  ...dnsEvents,
  ...sqlEvents,
];

export * from './dovecot/auth-server.js';
export * from './dovecot/auth-client.js';
export * from './dovecot/connection.js';
export * from './dovecot/http.js';
export * from './dovecot/imap.js';
export * from './dovecot/mail.js';
export * from './dovecot/dns.js';
export * from './dovecot/sql.js';
