/**
 * Header-name lookups that understand compact forms (RFC 3261 §7.3.3 and the
 * later RFCs that registered one-letter names) and case-insensitivity.
 */
import type { SipMessage } from './types.js';

/** Compact form → canonical long name, lowercase. */
export const COMPACT_HEADER_NAMES: Readonly<Record<string, string>> = Object.freeze({
  i: 'call-id',
  f: 'from',
  t: 'to',
  v: 'via',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
  o: 'event', // RFC 6665
  r: 'refer-to', // RFC 3515
  b: 'referred-by', // RFC 3892
  u: 'allow-events', // RFC 6665
  x: 'session-expires', // RFC 4028
  a: 'accept-contact', // RFC 3841
  j: 'reject-contact', // RFC 3841
  d: 'request-disposition', // RFC 3841
  y: 'identity', // RFC 8224
  n: 'identity-info', // RFC 4474
});

/** Lowercase long name for any spelling of a header name ("I" → "call-id", "CSEQ" → "cseq"). */
export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT_HEADER_NAMES[lower] ?? lower) : lower;
}

/** ASCII case-insensitive equality against an already-lowercase `lower`. */
export function eqLower(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Folding only A–Z keeps non-letters (e.g. '-' vs '\r') from colliding.
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function matches(headerName: string, canonical: string): boolean {
  if (headerName.length === 1) return COMPACT_HEADER_NAMES[headerName.toLowerCase()] === canonical || eqLower(headerName, canonical);
  return eqLower(headerName, canonical);
}

/** First value of a header, by any of its names (long or compact, any case). */
export function getHeader(msg: Pick<SipMessage, 'headers'>, name: string): string | undefined {
  const want = canonicalHeaderName(name);
  for (const [n, v] of msg.headers) if (matches(n, want)) return v;
  return undefined;
}

/** Every value of a header in order (each entry is one header line; commas are not split). */
export function getHeaders(msg: Pick<SipMessage, 'headers'>, name: string): string[] {
  const want = canonicalHeaderName(name);
  const out: string[] = [];
  for (const [n, v] of msg.headers) if (matches(n, want)) out.push(v);
  return out;
}
