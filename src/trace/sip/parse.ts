/**
 * SIP message parser for traced traffic (RFC 3261 §7): start line, headers
 * (compact forms, folding, LF-only endings), the fields needed to correlate a
 * call, and a zero-copy body.
 *
 * Why it is shaped like this: it runs once per captured message, so the header
 * section is decoded once as latin1 (one char per byte, hence string indexes
 * are byte offsets for error reporting) and scanned with indexOf/charCodeAt —
 * no regex, no split, no try/catch. It never throws: every malformation is an
 * error result with a reason and an offset.
 */
import { isAscii } from 'node:buffer';
import { BOUNDS, nameAddrBounds } from './address.js';
import { ParsedSipMessage, headerValue, utf8 } from './message.js';
import type { HeaderIndex } from './message.js';
import { Known, classify, decimal, isSipVersion, isToken, isTokenChar, trimmed } from './lex.js';
import type { SipErrorReason, SipParseOptions, SipParseResult } from './types.js';

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
/**
 * Reused header-offset buffer. Written strictly in sequence, so it stays a
 * packed array; it keeps its high-water size (4 numbers per header line).
 */
const SCRATCH: number[] = [];
/** Up to this size the whole message is decoded to a string in one go. */
const SMALL_MESSAGE = 4096;
const SP = 0x20;
const HT = 0x09;
const CR = 0x0d;

function fail(reason: SipErrorReason, offset: number, message: string, header?: string): SipParseResult {
  return { ok: false, error: header === undefined ? { reason, offset, message } : { reason, offset, message, header } };
}

/** A malformed first line is 'bad_start_line' if it mentions SIP/ at all, else 'not_sip'. */
function startLineError(s: string, start: number, lineEnd: number, at: number, message: string): SipParseResult {
  const sip = s.indexOf('SIP/', start);
  return sip >= 0 && sip < lineEnd ? fail('bad_start_line', at, message) : fail('not_sip', start, 'first line is not a SIP request or status line');
}

export function parseSip(input: Buffer | Uint8Array, opts?: SipParseOptions): SipParseResult {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const n = buf.length;
  if (n === 0) return fail('empty', 0, 'empty message');
  const max = opts?.maxBytes ?? 65535;
  if (n > max) return fail('oversized', max, `message is ${n} bytes, limit is ${max}`);

  // Leading CRLFs are keep-alives / stream padding (RFC 3261 §7.5): skip them.
  let start = 0;
  while (start < n && (buf[start] === CR || buf[start] === 0x0a)) start++;
  if (start === n) return fail('empty', n, 'message holds only line breaks');

  // Small messages (all UDP ones) are decoded whole: cheaper than searching
  // the buffer for the header end first. Larger ones only up to the header end.
  let hdrLimit = n;
  if (n > SMALL_MESSAGE) {
    const crlf2 = buf.indexOf(CRLFCRLF, start);
    if (crlf2 >= 0) hdrLimit = crlf2 + 4;
  }
  const s = buf.toString('latin1', 0, hdrLimit);
  // isAscii is a vectorised scan of the bytes; measuring the UTF-8 length of `s` cost a full extra pass.
  const nonAscii = !isAscii(hdrLimit === n ? buf : buf.subarray(0, hdrLimit));

  // ---- start line --------------------------------------------------------
  let nl = s.indexOf('\n', start);
  let lineEnd = nl < 0 ? s.length : nl;
  while (lineEnd > start && (buf[lineEnd - 1] === CR || buf[lineEnd - 1] === SP || buf[lineEnd - 1] === HT)) lineEnd--;
  let kind: 'request' | 'response';
  let method: string | undefined;
  let requestUri: string | undefined;
  let status: number | undefined;
  let reason: string | undefined;
  if (isSipVersion(buf, start) && buf[start + 7] === SP) {
    kind = 'response';
    const d = start + 8;
    const c0 = buf[d] - 0x30;
    const c1 = buf[d + 1] - 0x30;
    const c2 = buf[d + 2] - 0x30;
    if (!(c0 >= 1 && c0 <= 6 && c1 >= 0 && c1 <= 9 && c2 >= 0 && c2 <= 9) || (d + 3 < lineEnd && buf[d + 3] !== SP)) {
      return fail('bad_start_line', d, 'status line without a 3-digit status code 100-699');
    }
    status = c0 * 100 + c1 * 10 + c2;
    reason = d + 4 <= lineEnd ? s.slice(d + 4, lineEnd) : '';
    if (nonAscii) reason = utf8(reason);
  } else {
    kind = 'request';
    const sp1 = s.indexOf(' ', start);
    const sp2 = sp1 < 0 ? -1 : s.indexOf(' ', sp1 + 1);
    if (sp1 < 0 || sp1 >= lineEnd || !isToken(buf, start, sp1)) {
      return startLineError(s, start, lineEnd, start, 'request line without a method token');
    }
    const version = sp2 + 1;
    if (sp2 < 0 || sp2 >= lineEnd || sp2 === sp1 + 1 || lineEnd - version !== 7
      || !isSipVersion(buf, version)) {
      return startLineError(s, start, lineEnd, sp1 + 1, 'request line is not "METHOD Request-URI SIP/2.0"');
    }
    method = s.slice(start, sp1);
    requestUri = s.slice(sp1 + 1, sp2);
  }
  if (nl < 0) return fail('truncated_headers', n, 'message ends inside the start line');

  // ---- headers -----------------------------------------------------------
  // Headers are recorded as offsets (see message.ts); only the fields needed
  // for correlation are turned into strings here. Offsets go to a reused
  // scratch array first (parseSip is synchronous, so it cannot be re-entered)
  // and are copied out once at the right size.
  const off = SCRATCH;
  let no = 0; // numbers written to `off`
  let folded: Map<number, string> | undefined;
  const vias: number[] = [];
  let callIdH = -1;
  let cseqH = -1; // header indexes of the first CSeq / From / To / Contact
  let fromH = -1;
  let toH = -1;
  let contactH = -1;
  let contentLength: number | undefined;
  let h = -1; // index of the header being accumulated, finished when the next starts (folding)
  let hKind = 0; // its Known kind
  let bodyStart = -1;
  let pos = nl + 1;
  for (;;) {
    nl = s.indexOf('\n', pos);
    if (nl < 0) return fail('truncated_headers', n, 'no empty line ends the header section');
    let le = nl;
    if (le > pos && buf[le - 1] === CR) le--;
    if (le === pos) {
      bodyStart = nl + 1;
    } else {
      const c0 = buf[pos];
      if (c0 === SP || c0 === HT) {
        if (h < 0) return fail('bad_header', pos, 'continuation line before any header');
        const more = trimmed(s, pos, le);
        if (more.length > 0) {
          const prev = folded?.get(h) ?? s.slice(off[4 * h + 2], off[4 * h + 3]);
          (folded ??= new Map()).set(h, prev.length > 0 ? prev + ' ' + more : more);
        }
        pos = nl + 1;
        continue;
      }
    }
    // ---- finish the previous header (its value is complete now) -------------
    if (hKind === Known.ContentLength && contentLength === undefined) {
      const v = folded?.get(h) ?? s.slice(off[4 * h + 2], off[4 * h + 3]);
      contentLength = decimal(v);
      if (contentLength < 0) return fail('bad_content_length', off[4 * h], `Content-Length "${v}" is not a number`, 'Content-Length');
    }
    if (bodyStart >= 0) break;
    // ---- start a new header: name, optional SP/HT, ':' ----------------------
    // Names are checked with native searches and their end characters, not
    // char by char (a per-character loop measured slower than the native
    // search): a line needs a ':' after a non-empty name without spaces.
    const colon = s.indexOf(':', pos);
    if (colon < 0 || colon >= le) return fail('bad_header', pos, 'header line without ":"');
    let nameEnd = colon;
    while (nameEnd > pos && (buf[nameEnd - 1] === SP || buf[nameEnd - 1] === HT)) nameEnd--;
    if (nameEnd === pos || !isTokenChar(buf[pos]) || !isTokenChar(buf[nameEnd - 1])) {
      return fail('bad_header', pos, 'header line is not "name: value"');
    }
    h = no >> 2;
    hKind = classify(buf, pos, nameEnd - pos);
    switch (hKind) {
      case Known.Other: {
        const sp = s.indexOf(' ', pos); // known names were compared in full already
        if (sp >= 0 && sp < nameEnd) return fail('bad_header', pos, 'header name contains a space');
        break;
      }
      case Known.CallId: if (callIdH < 0) callIdH = h; break;
      case Known.From: if (fromH < 0) fromH = h; break;
      case Known.To: if (toH < 0) toH = h; break;
      case Known.CSeq: if (cseqH < 0) cseqH = h; break;
      case Known.Contact: if (contactH < 0) contactH = h; break;
      case Known.Via: vias.push(h); break;
    }
    let vs = colon + 1;
    let ve = le;
    while (vs < ve && (buf[vs] === SP || buf[vs] === HT)) vs++;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HT || buf[ve - 1] === CR)) ve--;
    off[no] = pos;
    off[no + 1] = nameEnd;
    off[no + 2] = vs;
    off[no + 3] = ve;
    no += 4;
    pos = nl + 1;
  }
  const offsets = off.slice(0, no);

  // ---- required headers ----------------------------------------------------
  const ix: HeaderIndex = {
    src: s, offsets, folded, nonAscii, bodyStart, bodyEnd: n, fromH, toH, contactH, vias,
    fromUri0: -1, fromUri1: 0, fromParams: 0, toUri0: -1, toUri1: 0, toParams: 0,
  };
  if (callIdH < 0) return fail('missing_header', bodyStart, 'no Call-ID header', 'Call-ID');
  const callId = headerValue(ix, callIdH);
  if (callId.length === 0) return fail('bad_header', offsets[4 * callIdH], 'empty Call-ID header', 'Call-ID');
  if (cseqH < 0) return fail('missing_header', bodyStart, 'no CSeq header', 'CSeq');
  if (fromH < 0) return fail('missing_header', bodyStart, 'no From header', 'From');
  if (toH < 0) return fail('missing_header', bodyStart, 'no To header', 'To');

  // CSeq is read from the bytes (a folded value from its joined string's bytes).
  const cseqFolded = folded?.get(cseqH);
  const cb = cseqFolded === undefined ? buf : Buffer.from(cseqFolded, 'latin1');
  const cseqEnd = cseqFolded === undefined ? offsets[4 * cseqH + 3] : cb.length;
  let k = cseqFolded === undefined ? offsets[4 * cseqH + 2] : 0;
  const digits = k;
  let cseqNumber = 0;
  while (k < cseqEnd && k - digits < 10) {
    const c = cb[k] - 0x30;
    if (c < 0 || c > 9) break;
    cseqNumber = cseqNumber * 10 + c;
    k++;
  }
  let m = k;
  while (m < cseqEnd && (cb[m] === SP || cb[m] === HT)) m++;
  if (k === digits || m === k || cseqNumber > 0xffffffff || !isToken(cb, m, cseqEnd)) {
    return fail('bad_cseq', offsets[4 * cseqH], `CSeq "${headerValue(ix, cseqH)}" is not "<number> <method>"`, 'CSeq');
  }
  const cseqMethod = cseqFolded === undefined ? s.slice(m, cseqEnd) : cseqFolded.slice(m);
  // From/To are validated here; their strings are built on first access (message.ts).
  if (!addressOk(ix, fromH)) return fail('bad_address', offsets[4 * fromH], `From "${headerValue(ix, fromH)}" is not a SIP address`, 'From');
  if (folded?.has(fromH) !== true) {
    ix.fromUri0 = BOUNDS.uriStart;
    ix.fromUri1 = BOUNDS.uriEnd;
    ix.fromParams = BOUNDS.params;
  }
  if (!addressOk(ix, toH)) return fail('bad_address', offsets[4 * toH], `To "${headerValue(ix, toH)}" is not a SIP address`, 'To');
  if (folded?.has(toH) !== true) {
    ix.toUri0 = BOUNDS.uriStart;
    ix.toUri1 = BOUNDS.uriEnd;
    ix.toParams = BOUNDS.params;
  }

  // ---- body ------------------------------------------------------------------
  if (contentLength !== undefined) {
    if (contentLength > n - bodyStart) {
      return fail('body_truncated', n, `Content-Length ${contentLength} but only ${n - bodyStart} body bytes follow the headers`);
    }
    ix.bodyEnd = bodyStart + contentLength; // extra bytes after the body (datagram padding) are ignored
  }
  const message = new ParsedSipMessage(buf, ix, kind, method, requestUri, status, reason, callId, cseqNumber, cseqMethod, contentLength);
  return { ok: true, message };
}

function addressOk(ix: HeaderIndex, h: number): boolean {
  const f = ix.folded?.get(h);
  return f === undefined ? nameAddrBounds(ix.src, ix.offsets[4 * h + 2], ix.offsets[4 * h + 3]) : nameAddrBounds(f, 0, f.length);
}
