/**
 * Character-level helpers for parse.ts: RFC 3261 tokens, trimming, numbers,
 * and classification of the header names the parser interprets.
 */

const SP = 0x20;
const HT = 0x09;
const CR = 0x0d;

/** RFC 3261 token characters (header names, methods). */
const TOKEN = new Uint8Array(128);
for (const ch of '-.!%*_+`\'~') TOKEN[ch.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = TOKEN[c + 0x20] = 1;

export function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

export function isToken(b: Uint8Array, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

/** b[at…] reads "SIP/2.0", the letters in any case. */
export function isSipVersion(b: Uint8Array, at: number): boolean {
  return (b[at] | 0x20) === 0x73 && (b[at + 1] | 0x20) === 0x69 && (b[at + 2] | 0x20) === 0x70
    && b[at + 3] === 0x2f && b[at + 4] === 0x32 && b[at + 5] === 0x2e && b[at + 6] === 0x30;
}

/** Strips SP/HT/CR from both ends of s[from, to). */
export function trimmed(s: string, from: number, to: number): string {
  while (from < to && (s.charCodeAt(from) === SP || s.charCodeAt(from) === HT)) from++;
  while (to > from) {
    const c = s.charCodeAt(to - 1);
    if (c !== SP && c !== HT && c !== CR) break;
    to--;
  }
  return s.slice(from, to);
}

/** Headers parseSip interprets; everything else is only indexed. */
export const Known = { Other: 0, CallId: 1, From: 2, To: 3, Via: 4, CSeq: 5, Contact: 6, ContentLength: 7 } as const;
export type Known = (typeof Known)[keyof typeof Known];

/**
 * Kind of the header named b[at, at+len), read from the message bytes: by
 * length and first letter, then a full case-insensitive compare. Typed-array
 * loads are cheaper than String#charCodeAt, which re-checks the string's
 * representation on every call (this ran at 20 % of a parse on strings).
 */
export function classify(b: Uint8Array, at: number, len: number): Known {
  const c = b[at] | 0x20;
  switch (len) {
    case 1:
      switch (c) {
        case 0x69: return Known.CallId; // i
        case 0x66: return Known.From; // f
        case 0x74: return Known.To; // t
        case 0x76: return Known.Via; // v
        case 0x6d: return Known.Contact; // m
        case 0x6c: return Known.ContentLength; // l
      }
      return Known.Other;
    case 2: return c === 0x74 && nameIs(b, at, TO) ? Known.To : Known.Other;
    case 3: return c === 0x76 && nameIs(b, at, VIA) ? Known.Via : Known.Other;
    case 4:
      if (c === 0x66) return nameIs(b, at, FROM) ? Known.From : Known.Other;
      return c === 0x63 && nameIs(b, at, CSEQ) ? Known.CSeq : Known.Other;
    case 7:
      if (c !== 0x63) return Known.Other;
      if (nameIs(b, at, CALL_ID)) return Known.CallId;
      return nameIs(b, at, CONTACT) ? Known.Contact : Known.Other;
    case 14: return c === 0x63 && nameIs(b, at, CONTENT_LENGTH) ? Known.ContentLength : Known.Other;
  }
  return Known.Other;
}

/** Lowercase names as byte arrays: comparing against a string would cost a charCodeAt per character. */
const codes = (name: string): Uint8Array => Buffer.from(name, 'latin1');
const TO = codes('to');
const VIA = codes('via');
const FROM = codes('from');
const CSEQ = codes('cseq');
const CALL_ID = codes('call-id');
const CONTACT = codes('contact');
const CONTENT_LENGTH = codes('content-length');

/** Bytes at `at` spell `lower` ignoring ASCII case (only A–Z fold, so '-' never matches CR). */
function nameIs(b: Uint8Array, at: number, lower: Uint8Array): boolean {
  for (let i = 1; i < lower.length; i++) { // the first letter was matched by the caller
    const c = b[at + i];
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower[i]) return false;
  }
  return true;
}

/** Non-negative decimal (surrounding SP/HT already trimmed), or -1. */
export function decimal(v: string): number {
  if (v.length === 0 || v.length > 9) return -1;
  let x = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}
