import { Type } from '@sinclair/typebox';
import { LEVEL_NAMES } from '../../events/level.js';
import { allowedDestinations, LOOPBACK_DESTINATIONS } from './destinations.js';

/** Top-level keys owned by the core: data dir, logging, file roots, delivery bounds, subscribers. */
export const SubscriberEntry = Type.Object({
  socket: Type.String({ minLength: 3, description: 'transport:address[?option=value&…]' }),
  event: Type.Optional(Type.String({ description: 'Event name; give this or filter.' })),
  filter: Type.Optional(Type.String({ description: 'Filter expression (docs/filters.md); give this or event.' })),
  expire: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds until the subscription lapses; omit for forever.' })),
  delivery: Type.Optional(Type.Union([Type.Literal('at-most-once'), Type.Literal('at-least-once')], {
    description: 'at-most-once (default): a bounded memory queue, drops counted; at-least-once: a disk spool in <data_dir>/spool/ that survives restarts (docs/backends.md).',
  })),
}, { additionalProperties: false });

export const LogSection = Type.Object({
  level: Type.Union([...LEVEL_NAMES, 'silent'].map((l) => Type.Literal(l)), {
    default: 'info', description: 'Herald\'s own log level: any level name or alias (docs/filters.md "Levels"; notice logs as info), or silent.',
  }),
}, { additionalProperties: false, default: {}, description: 'Herald\'s own logging.' });

export const FilesSection = Type.Object({
  roots: Type.Optional(Type.Array(Type.String({ minLength: 1 }), {
    description: 'Directories file backends may write under. Default: [data_dir].',
  })),
  max_permissions: Type.String({
    default: '0664', pattern: '^0?[0-7]{3}$',
    description: 'Most a `file_permissions` may allow (octal); a subscription or config asking for more is refused. Permission bits only: setuid, setgid and sticky are always refused.',
  }),
}, { additionalProperties: false, default: {}, description: 'Where file backends may write.' });

export const DeliverySection = Type.Object({
  max_queue_events: Type.Integer({ minimum: 1, default: 10000, description: 'Events queued per subscriber before new ones are dropped and counted.' }),
  max_batch_events: Type.Integer({ minimum: 1, default: 512, description: 'Largest batch handed to one backend write.' }),
  write_timeout_ms: Type.Integer({ minimum: 1, default: 10000, description: 'A write not settled by then is abandoned and retried.' }),
  retry_base_ms: Type.Integer({ minimum: 1, default: 100, description: 'First retry delay; doubles per attempt with jitter.' }),
  retry_max_ms: Type.Integer({ minimum: 1, default: 10000, description: 'Largest retry delay.' }),
  linger_ms: Type.Integer({
    minimum: 0, default: 5,
    description: 'After a write, events wait up to this long to join the next batch (ended early by a full batch or a half-full queue); the first event after a quiet spell goes out at once. 0 writes every event-loop turn.',
  }),
  max_subscriptions: Type.Integer({
    minimum: 1, default: 1000,
    description: 'Most subscriptions at once (config, MI and CLI together); one more is refused with a clear error. Each holds a queue of up to max_queue_events.',
  }),
  spool_max_bytes: Type.Integer({
    minimum: 4096, default: 268_435_456,
    description: 'Unacknowledged bytes one at-least-once subscriber\'s disk spool may hold (default 256 MiB).',
  }),
  spool_full: Type.Union([Type.Literal('refuse'), Type.Literal('drop_oldest')], {
    default: 'refuse', description: 'A full spool refuses new events, or drops its oldest segment; every dropped event is counted.',
  }),
  spool_fsync: Type.Boolean({ default: false, description: 'fdatasync every spool append (survives a power cut, not only a killed process).' }),
  allowed_destinations: allowedDestinations(
    'Hosts and ports that subscribers made at run time (MI event_subscribe, herald subscribe, and those restored from <data_dir>/subscriptions.json) may connect or send to: udp:, tcp:, http(s)://, postgres://, mysql:// and every other network transport',
    'Checked before anything is opened; virtual: children are checked too. Subscribers in this file are trusted and not checked. Default: this machine only.',
    [...LOOPBACK_DESTINATIONS, 'localhost'],
  ),
  memory_transport: Type.Boolean({
    default: false,
    description: 'Allow memory: subscribers. It is a test transport: its events pile up inside the daemon where nothing reads them, so herald serve refuses it unless this is true.',
  }),
}, { additionalProperties: false, default: {}, description: 'Per-subscriber queue bounds and retry pacing (docs/backends.md).' });
