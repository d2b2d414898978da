import { Type, type Static, type StaticDecode } from '@sinclair/typebox';
import { COMMON_FILE_OPTIONS } from '../shared/file-schema.js';

/**
 * The options of `jsonl:PATH?…`: the `jsonl:` config section, the socket query
 * options (which win), the factory's typed options and the table in docs/backends/jsonl.md.
 */
export const JsonlOptionsSchema = Type.Object({
  timezone: COMMON_FILE_OPTIONS.timezone,
  roll: Type.Union([Type.Literal('daily'), Type.Literal('none')], {
    default: 'daily', description: '`daily`: the finished day becomes PATH.YYYYMMDD; `none`: leave rotation to `herald rotate`/SIGHUP (logrotate).',
  }),
  keep: Type.Integer({ minimum: 0, default: 0, description: 'Days of rolled files to keep; `0` keeps all.' }),
  compress: Type.Boolean({ default: false, description: 'gzip rolled files (PATH.YYYYMMDD.gz), off the write path.' }),
  event_id: Type.Boolean({
    default: false, description: 'Write each event\'s unique id (UUIDv7) first in its record (`{"id":"…",…}`); off keeps the OvenMediaEngine record exact.',
  }),
  file_permissions: COMMON_FILE_OPTIONS.file_permissions,
  max_open_files: COMMON_FILE_OPTIONS.max_open_files,
  flush_interval_ms: COMMON_FILE_OPTIONS.flush_interval_ms,
  fsync: COMMON_FILE_OPTIONS.fsync,
}, { additionalProperties: false, default: {}, description: 'Defaults of every `jsonl:` socket (docs/backends/jsonl.md); socket query options win.' });

/** The `jsonl:` config section as written. */
export type JsonlConfig = Static<typeof JsonlOptionsSchema>;
/** The options a jsonl backend is built with. */
export type JsonlOptions = StaticDecode<typeof JsonlOptionsSchema>;
