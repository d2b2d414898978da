/** SIP message model produced by parseSip (RFC 3261 §7 message syntax). */

/** Every reason a parse can fail with; runtime list so tests and metrics can enumerate them. */
export const SIP_ERROR_REASONS = [
  'empty', //              no bytes (or only line breaks)
  'oversized', //          more bytes than opts.maxBytes
  'not_sip', //            first line is not a SIP request or status line at all
  'bad_start_line', //     looks like SIP but the request/status line is malformed
  'truncated_headers', //  no empty line ends the header section
  'bad_header', //         header line without a valid "name:" or a stray continuation
  'bad_cseq', //           CSeq is not "<number> <method>"
  'bad_address', //        From/To is not a name-addr or addr-spec
  'bad_content_length', // Content-Length is not a decimal number
  'missing_header', //     Call-ID, CSeq, From or To absent (error.header names it)
  'body_truncated', //     fewer body bytes than Content-Length declares
] as const;

export type SipErrorReason = (typeof SIP_ERROR_REASONS)[number];

export interface SipParseError {
  reason: SipErrorReason;
  /** Byte offset in the input where the problem was found. */
  offset: number;
  message: string;
  /** For missing_header / bad_header on a known header: its canonical name, e.g. "Call-ID". */
  header?: string;
}

/**
 * A parsed message. The object parseSip returns builds fromUri…toTag,
 * viaBranches, contact, headers and body on first access (prototype getters,
 * see message.ts): read them normally, but use toPlainMessage() before spreading
 * or structuredClone-ing it. JSON.stringify includes everything.
 */
export interface SipMessage {
  kind: 'request' | 'response';
  /** Requests only. */
  method?: string;
  requestUri?: string;
  /** Responses only. */
  status?: number;
  reason?: string;
  callId: string;
  cseqNumber: number;
  cseqMethod: string;
  fromUri: string;
  /** User part of the From URI ('' when the URI has none). */
  fromUser: string;
  /** '' when absent. */
  fromTag: string;
  toUri: string;
  toUser: string;
  /** '' when absent (e.g. initial requests). */
  toTag: string;
  /**
   * One entry per Via hop, topmost first, across all Via headers and
   * comma-separated values; '' for a hop without a branch so indexes stay aligned.
   */
  viaBranches: string[];
  /** Value of the first Contact header as written (may be "*" or carry several contacts). */
  contact?: string;
  /** Declared Content-Length, when the header is present. */
  contentLength?: number;
  /** Every header in order with its name as written; folded lines joined by one space. See getHeader(). */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** View into the input (no copy). */
  body: Buffer;
  /** The whole input as a Buffer view. */
  raw: Buffer;
}

export type SipParseResult = { ok: true; message: SipMessage } | { ok: false; error: SipParseError };

export interface SipParseOptions {
  /** Inputs longer than this are rejected as 'oversized'. Default 65535 (largest UDP payload). */
  maxBytes?: number;
}
