import { Type, type Static } from '@sinclair/typebox';

/**
 * Defaults for the file backends, `flatstore:` and `jsonl:`. Every key can also be
 * given per subscriber as a socket query option (`flatstore:/x.log?delimiter=;`),
 * which wins. See docs/backends/flatstore.md and docs/backends/jsonl.md.
 */

const filePermissions = Type.String({
  default: '644',
  pattern: '^0?[0-7]{3}$',
  description: 'Mode of files Herald creates, as an octal string ("644", "0640"); applied whatever the umask. Permission bits only, within files.max_permissions.',
});
const maxOpenFiles = Type.Integer({
  minimum: 1, maximum: 65535, default: 100,
  description: 'Files the file backends keep open at once. When full, a new subscription is refused; nothing is evicted.',
});
const flushIntervalMs = Type.Integer({ minimum: 1, default: 100, description: 'Buffered lines are written at least this often (ms).' });
const fsync = Type.Boolean({ default: false, description: 'fdatasync each batch before the write is acknowledged.' });
const timezone = Type.Union([Type.Literal('local'), Type.Literal('utc')], {
  default: 'local', description: 'Clock face for suffixes, day boundaries and the jsonl `time` field.',
});

export const FlatstoreSection = Type.Object({
  delimiter: Type.String({ minLength: 1, default: ',', description: 'Column separator; may be several characters.' }),
  file_permissions: filePermissions,
  max_open_files: maxOpenFiles,
  suppress_event_name: Type.Boolean({ default: false, description: 'Leave the event name out of each line.' }),
  rotate_period: Type.Integer({ minimum: 0, default: 0, description: 'Rotate every this many seconds, aligned to the wall clock; 0 = off.' }),
  rotate_count: Type.Integer({ minimum: 0, default: 0, description: 'Rotate after this many lines; 0 = off.' }),
  rotate_size: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+[kKmMgG]?$' })], {
    default: 0, description: 'Rotate once a file reaches this many bytes (k/m/g suffixes, ×1024); 0 = off.',
  }),
  suffix: Type.String({ default: '', pattern: '^[^/]*$', description: 'strftime pattern appended to the path (%Y %m %d %H %M %S %s).' }),
  flush_interval_ms: flushIntervalMs,
  fsync,
  timezone,
}, { additionalProperties: false, default: {} });

export const JsonlSection = Type.Object({
  file_permissions: filePermissions,
  max_open_files: maxOpenFiles,
  roll: Type.Union([Type.Literal('daily'), Type.Literal('none')], {
    default: 'daily', description: 'daily: the finished day becomes PATH.YYYYMMDD; none: leave rotation to rotate/SIGHUP.',
  }),
  keep: Type.Integer({ minimum: 0, default: 0, description: 'Days of rolled files to keep; 0 keeps all.' }),
  compress: Type.Boolean({ default: false, description: 'gzip rolled files (PATH.YYYYMMDD.gz), off the write path.' }),
  event_id: Type.Boolean({
    default: false, description: 'Write each event\'s unique id first in its record (`{"id":"…",…}`); off keeps the OvenMediaEngine record exact.',
  }),
  flush_interval_ms: flushIntervalMs,
  fsync,
  timezone,
}, { additionalProperties: false, default: {} });

export type FlatstoreConfig = Static<typeof FlatstoreSection>;
export type JsonlConfig = Static<typeof JsonlSection>;
