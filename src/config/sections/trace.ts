import { Type } from '@sinclair/typebox';
import { LEVEL_NAMES } from '../../events/level.js';
import { allowedDestinations } from './destinations.js';
import { udpCollectorOptions } from './udp-collector.js';

/** Message tracing: the trace store and the HEP / raw SIP collectors. See docs/trace.md. */
export const HepSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the HEP collector (UDP and TCP).' }),
  listen: Type.String({ default: '127.0.0.1:9060', description: 'host:port for both UDP and TCP. Port 0 picks a free port (tests).' }),
  auth_key: Type.Optional(Type.String({ minLength: 1, description: 'When set, packets must carry this HEPv3 auth key (chunk 0x000e); others are counted as `auth_failed` and dropped.' })),
  max_connections: Type.Integer({ minimum: 1, default: 256, description: 'Concurrent HEP-over-TCP connections; more are refused and counted.' }),
  log_level: Type.Union(LEVEL_NAMES.map((l) => Type.Literal(l)), {
    default: 'debug', description: 'Level of the E_HEP_LOG events raised for HEP log packets (proto type 100): any level name or alias (docs/filters.md "Levels").',
  }),
  tcp_idle_timeout_ms: Type.Integer({
    minimum: 100, default: 300_000,
    description: 'A HEP-over-TCP connection that sends nothing for this long is closed (counted tcp_idle_closed), so idle connections cannot hold every slot. Senders reconnect.',
  }),
  tcp_frame_timeout_ms: Type.Integer({
    minimum: 100, default: 10_000,
    description: 'A HEP-over-TCP connection that stops in the middle of a packet for this long is closed (counted tcp_partial_closed).',
  }),
  ...udpCollectorOptions(),
}, { additionalProperties: false, default: {} });

export const SipSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the raw SIP collector (UDP), for senders using Kamailio\'s `duplicate_uri`.' }),
  listen: Type.String({ default: '127.0.0.1:9061', description: 'host:port (UDP). Port 0 picks a free port (tests).' }),
  ...udpCollectorOptions(),
}, { additionalProperties: false, default: {} });

export const TraceSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Open the trace store and the tracer (MI commands trace, trace_start, trace_search, …). The collectors need it.' }),
  store: Type.String({ default: 'sqlite:', description: '`sqlite:` (trace.db in data_dir), `sqlite:PATH`, `postgres://…` or `mysql://…` (MariaDB too).' }),
  table: Type.String({ default: 'sip_trace', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 48, description: 'Trace table name. Created, or migrated from a Kamailio/OpenSIPS/OpenSER table, on start.' }),
  keep_days: Type.Integer({ minimum: 0, default: 0, description: 'Delete messages older than this many days (checked hourly); 0 keeps everything. PostgreSQL drops whole day partitions.' }),
  trace_on: Type.Boolean({ default: true, description: 'Global tracing switch at start (OpenSIPS `trace_on`); switch at run time with the `trace` MI command.' }),
  ids: Type.Array(Type.String({ minLength: 3 }), {
    default: [],
    description: 'More trace ids, `[name]uri`: every collected message is also copied there, e.g. `[homer]hep:10.0.0.9:9060;transport=tcp`. The store is id `default`.',
  }),
  allowed_destinations: allowedDestinations(
    'Where trace_start may send copies (sip:, hep:)',
    'Default: this machine only. trace_start can use only stores the config names.',
  ),
  capture_id: Type.Integer({ minimum: 0, maximum: 4294967295, default: 1, description: 'HEP capture id for copies of messages that came without one (raw SIP).' }),
  node: Type.String({ default: '', description: 'Capture node name stored with messages that came without one.' }),
  max_batch_rows: Type.Integer({ minimum: 1, default: 10000, description: 'Largest batch written to the store at once.' }),
  flush_interval_ms: Type.Integer({ minimum: 1, default: 200, description: 'A message waits at most this long before its batch is written.' }),
  max_queue_rows: Type.Integer({ minimum: 1, default: 200000, description: 'Rows waiting for the store before new ones are dropped and counted.' }),
  max_queue_bytes: Type.Integer({
    minimum: 65536, default: 16777216,
    description: 'Bytes of rows waiting for the store (each row counts its message plus 1 KiB, about what it holds on the heap) before new ones are dropped and counted: bounds the daemon\'s memory whatever the offered load (UDP bursts beyond it wait in the journal). Default 16 MiB.',
  }),
  yield_to_receivers: Type.Boolean({
    default: true,
    description: 'Under load the UDP collectors\' receive threads get the CPU first: every other thread of the daemon (main, helpers) runs at nice 5 or more and the SQLite writer thread at nice 10 '
      + '(Linux, per thread). Their backlog waits in the queue and the journal; a datagram the kernel drops is lost. false leaves priorities alone.',
  }),
  journal_max_bytes: Type.Integer({
    minimum: 0, default: 2147483648,
    description: 'UDP datagrams (HEP, raw SIP) that arrive while the store\'s queue is over half full go to an on-disk journal under data_dir/journal/ and are '
      + 'stored, in order, once it has room, instead of being dropped. Bytes each collector\'s journal may hold before further datagrams are dropped and '
      + 'counted (`dropped_journal_full`); 0 turns the journal off. Default 2 GiB.',
  }),
}, { additionalProperties: false, default: {} });
