import { Value } from '@sinclair/typebox/value';
import type { SocketAddress } from '../../bus/socket.js';
import { JsonlSection, type JsonlConfig } from '../../config/sections/files-backends.js';
import { COMMON_FILE_PARSERS, type CommonFileOptions } from '../shared/file-options.js';
import { intParser, oneOf, parseBool, resolveOptions, type OptionParsers } from '../shared/option-parse.js';

/** The defaults of the `jsonl:` config section. */
export const JSONL_DEFAULTS: JsonlConfig = Value.Default(JsonlSection, {}) as JsonlConfig;

/** Parsed jsonl options: config defaults overridden by socket query options. */
export interface JsonlOptions extends CommonFileOptions {
  readonly roll: 'daily' | 'none';
  readonly keep: number;
  readonly compress: boolean;
  readonly event_id: boolean;
}

const PARSERS: OptionParsers<JsonlOptions> = {
  ...COMMON_FILE_PARSERS,
  roll: oneOf('daily', 'none'),
  keep: intParser(0),
  compress: parseBool,
  event_id: parseBool,
};

/** @throws HeraldError HERALD_ERR_BAD_SOCKET naming every bad or unknown option. */
export function jsonlOptions(address: SocketAddress, defaults: JsonlConfig): JsonlOptions {
  return resolveOptions(address.socket, defaults, address.options, PARSERS);
}
