import { intParser, oneOf, parseBool, parseOctalMode, type OptionParsers } from './option-parse.js';
import type { TimeZoneMode } from './strftime.js';

/** Options every file backend takes (config keys, also socket query options). */
export interface CommonFileOptions {
  readonly file_permissions: number;
  readonly max_open_files: number;
  readonly flush_interval_ms: number;
  readonly fsync: boolean;
  readonly timezone: TimeZoneMode;
}

export const COMMON_FILE_PARSERS: OptionParsers<CommonFileOptions> = {
  file_permissions: parseOctalMode,
  max_open_files: intParser(1, 65535),
  flush_interval_ms: intParser(1),
  fsync: parseBool,
  timezone: oneOf('local', 'utc'),
};

/** File roots a backend may write under: the configured ones, else the data dir. */
export function rootsOf(ctx: { readonly fileRoots: readonly string[]; readonly dataDir: string }): readonly string[] {
  return ctx.fileRoots.length > 0 ? ctx.fileRoots : [ctx.dataDir];
}
