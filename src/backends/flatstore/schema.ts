import { Type, type Static, type StaticDecode } from '@sinclair/typebox';
import { COMMON_FILE_OPTIONS } from '../shared/file-schema.js';
import { parseSize } from '../shared/option-parse.js';
import { delimiterProblem } from './delimiter.js';

/**
 * The options of `flatstore:PATH?…`: the `flatstore:` config section (defaults for
 * every socket), the socket query options (which win), the factory's typed options and
 * the table in docs/backends/flatstore.md all come from this one object.
 */
export const FlatstoreOptionsSchema = Type.Object({
  delimiter: Type.Transform(Type.String({
    minLength: 1, default: ',',
    description: 'Column separator; may be several characters. Not empty, no newline, carriage return or backslash, not starting with `n` or `r` (see Escaping).',
  })).Decode((value) => {
    const why = delimiterProblem(value);
    if (why !== undefined) throw new Error(why);
    return value;
  }).Encode((value) => value),
  file_permissions: COMMON_FILE_OPTIONS.file_permissions,
  max_open_files: COMMON_FILE_OPTIONS.max_open_files,
  suppress_event_name: Type.Boolean({ default: false, description: 'Leave the event name column out.' }),
  rotate_period: Type.Integer({
    minimum: 0, default: 0,
    description: 'Rotate every N seconds, on wall-clock multiples of N (`60` rotates at the top of each minute); a file that received nothing is left alone. `0` = off.',
  }),
  rotate_count: Type.Integer({ minimum: 0, default: 0, description: 'Rotate after N lines. `0` = off.' }),
  rotate_size: Type.Transform(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]+[kKmMgG]?$' })], {
    default: 0, description: 'Rotate once a file reaches N bytes; `k`, `m`, `g` multiply by 1024 (`10m`). `0` = off.',
  })).Decode(parseSize).Encode((bytes) => bytes),
  suffix: Type.String({
    default: '', pattern: '^[^/]*$',
    description: 'strftime pattern appended to the path to name the file written: `%Y %m %d %H %M %S`, `%s` (epoch seconds), `%%`. Evaluated at open and at each rotation.',
  }),
  flush_interval_ms: COMMON_FILE_OPTIONS.flush_interval_ms,
  fsync: COMMON_FILE_OPTIONS.fsync,
  timezone: COMMON_FILE_OPTIONS.timezone,
}, { additionalProperties: false, default: {}, description: 'Defaults of every `flatstore:` socket (docs/backends/flatstore.md); socket query options win.' });

/** The `flatstore:` config section as written (file_permissions an octal string, rotate_size `10m`). */
export type FlatstoreConfig = Static<typeof FlatstoreOptionsSchema>;
/** The options a flatstore backend is built with (file_permissions as mode bits, rotate_size in bytes). */
export type FlatstoreOptions = StaticDecode<typeof FlatstoreOptionsSchema>;
