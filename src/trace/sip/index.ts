/** SIP message parser for traced traffic. */
export { parseSip } from './parse.js';
export { toPlainMessage } from './message.js';
export { getHeader, getHeaders, canonicalHeaderName, COMPACT_HEADER_NAMES } from './header-names.js';
export { parseNameAddr, uriUser, findParam, collectViaBranches } from './address.js';
export type { NameAddr } from './address.js';
export { SIP_ERROR_REASONS } from './types.js';
export type { SipMessage, SipParseError, SipParseResult, SipParseOptions, SipErrorReason } from './types.js';
