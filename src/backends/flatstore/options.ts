import { Value } from '@sinclair/typebox/value';
import type { SocketAddress } from '../../bus/socket.js';
import { FlatstoreSection, type FlatstoreConfig } from '../../config/sections/files-backends.js';
import { COMMON_FILE_PARSERS, type CommonFileOptions } from '../shared/file-options.js';
import { checkedString, intParser, parseBool, parseSize, parseSuffix, resolveOptions, type OptionParsers } from '../shared/option-parse.js';
import { delimiterProblem } from './encode.js';

/** The defaults of the `flatstore:` config section. */
export const FLATSTORE_DEFAULTS: FlatstoreConfig = Value.Default(FlatstoreSection, {}) as FlatstoreConfig;

/** Parsed flatstore options: config defaults overridden by socket query options. */
export interface FlatstoreOptions extends CommonFileOptions {
  readonly delimiter: string;
  readonly suppress_event_name: boolean;
  readonly rotate_period: number;
  readonly rotate_count: number;
  readonly rotate_size: number;
  readonly suffix: string;
}

const PARSERS: OptionParsers<FlatstoreOptions> = {
  ...COMMON_FILE_PARSERS,
  delimiter: checkedString(delimiterProblem),
  suppress_event_name: parseBool,
  rotate_period: intParser(0),
  rotate_count: intParser(0),
  rotate_size: parseSize,
  suffix: parseSuffix,
};

/** @throws HeraldError HERALD_ERR_BAD_SOCKET naming every bad or unknown option. */
export function flatstoreOptions(address: SocketAddress, defaults: FlatstoreConfig): FlatstoreOptions {
  return resolveOptions(address.socket, defaults, address.options, PARSERS);
}
