import { Type } from '@sinclair/typebox';
import { parseOctalMode, formatMode } from './option-parse.js';

/*
 * The options every file backend takes. Each backend's schema.ts spreads them into
 * its own object; that object is its config section, its socket query options, its
 * factory's typed options (StaticDecode) and its docs table.
 */

export const COMMON_FILE_OPTIONS = {
  file_permissions: Type.Transform(Type.String({
    default: '644',
    pattern: '^[0-7]{3,4}$',
    description: 'Mode of files Herald creates, an octal string (`"640"`, `"0664"`). Set with fchmod after create, so the umask does not matter; '
      + 'an existing file keeps its mode. Permission bits only (setuid, setgid and sticky are refused), and at most `files.max_permissions`.',
  })).Decode(parseOctalMode).Encode(formatMode),
  max_open_files: Type.Integer({
    minimum: 1, maximum: 65535, default: 100,
    description: 'Files the file backends (flatstore and jsonl together) keep open. When full, a subscription to a new file is refused with '
      + '`HERALD_ERR_LIMIT` naming the open files; nothing is evicted. A slot frees as soon as the last subscriber of a file goes.',
  }),
  flush_interval_ms: Type.Integer({ minimum: 1, default: 100, description: 'Buffered lines are written at least this often (ms).' }),
  fsync: Type.Boolean({ default: false, description: 'fdatasync each batch before the write is acknowledged.' }),
  timezone: Type.Union([Type.Literal('local'), Type.Literal('utc')], {
    default: 'local', description: 'Clock face for file names (suffix, rotated and rolled names), day boundaries and jsonl record times.',
  }),
};
