import { Type, type Static } from '@sinclair/typebox';

/** The options of `sqlite:`, `postgres://` and `mysql://` event stores (docs/backends/event-store.md; table generated). */
export const EventStoreOptionsSchema = Type.Object({
  table: Type.String({
    default: 'herald_events', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}$',
    description: 'The table, created with its indexes when missing.',
  }),
  keep_days: Type.Integer({
    minimum: 0, maximum: 36_500, default: 0,
    description: 'Remove events older than this many days (checked at open and hourly): PostgreSQL drops whole UTC-day partitions (keeping up to a day more), SQLite and MySQL delete rows. 0 keeps everything.',
  }),
}, { additionalProperties: false });

export type EventStoreOptions = Static<typeof EventStoreOptionsSchema>;
