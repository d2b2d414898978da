/**
 * From/To (name-addr / addr-spec) and Via parameter extraction by index
 * scanning: these run on every message, so no regex and no splitting.
 */

export interface NameAddr {
  uri: string;
  user: string;
  tag: string;
}

const SP = 0x20;
const HT = 0x09;
const COMMA = 0x2c;
const DQUOTE = 0x22;

function isWs(c: number): boolean {
  return c === SP || c === HT || c === 0x0d || c === 0x0a;
}

/** Where nameAddrBounds found the parts (reused: the parser is synchronous). */
export const BOUNDS = { uriStart: 0, uriEnd: 0, params: 0 };

/**
 * Locates the URI and parameters of `"Bob" <sip:bob@x>;tag=1`,
 * `Bob <sip:bob@x>;tag=1`, `<sip:bob@x>` or `sip:bob@x;tag=1` in v[start, end)
 * (addr-spec: per RFC 3261 §20.10 everything after the first ';' is a header
 * parameter, not part of the URI). Fills BOUNDS; false when malformed.
 * Creates no strings, so parseSip can validate From/To eagerly for ~2 searches.
 */
export function nameAddrBounds(v: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isWs(v.charCodeAt(i))) i++;
  let lt: number;
  if (i < end && v.charCodeAt(i) === DQUOTE) {
    const q = closingQuote(v, i + 1, end);
    if (q < 0) return false;
    lt = v.indexOf('<', q + 1);
    if (lt < 0 || lt >= end) return false; // a quoted display name must be followed by <uri>
  } else {
    lt = v.indexOf('<', i);
    if (lt >= end) lt = -1;
  }
  let uriStart: number;
  let uriEnd: number;
  if (lt >= 0) {
    const gt = v.indexOf('>', lt + 1);
    if (gt < 0 || gt >= end) return false;
    uriStart = lt + 1;
    uriEnd = gt;
    BOUNDS.params = gt + 1;
  } else {
    const semi = v.indexOf(';', i);
    uriStart = i;
    uriEnd = semi < 0 || semi > end ? end : semi;
    BOUNDS.params = uriEnd;
  }
  while (uriStart < uriEnd && isWs(v.charCodeAt(uriStart))) uriStart++;
  while (uriEnd > uriStart && isWs(v.charCodeAt(uriEnd - 1))) uriEnd--;
  BOUNDS.uriStart = uriStart;
  BOUNDS.uriEnd = uriEnd;
  return uriEnd > uriStart;
}

/** URI, user and tag of a From/To value in v[start, end) (see nameAddrBounds); null when malformed. */
export function parseNameAddr(v: string, start = 0, end = v.length): NameAddr | null {
  if (!nameAddrBounds(v, start, end)) return null;
  return nameAddrAt(v, BOUNDS.uriStart, BOUNDS.uriEnd, BOUNDS.params, end);
}

/** Builds the strings once nameAddrBounds has located the parts (parseSip keeps the bounds for later). */
export function nameAddrAt(v: string, uriStart: number, uriEnd: number, params: number, end: number): NameAddr {
  return { uri: v.slice(uriStart, uriEnd), user: uriUserIn(v, uriStart, uriEnd), tag: findParam(v, params, end, 'tag') };
}

/** Index of the closing '"' of a quoted-string whose content starts at `from`, honouring backslash escapes. */
function closingQuote(v: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === DQUOTE) return i;
  }
  return -1;
}

/**
 * User part: for sip/sips (and anything with userinfo) the text before '@'
 * minus any ":password"; for tel: the number before its parameters.
 */
export function uriUser(uri: string): string {
  return uriUserIn(uri, 0, uri.length);
}

/** uriUser for the URI at v[s, e), read in place (no intermediate string). */
function uriUserIn(v: string, s: number, e: number): string {
  const colon = v.indexOf(':', s);
  if (colon < 0 || colon >= e) return '';
  const at = v.indexOf('@', colon + 1);
  if (at >= 0 && at < e) {
    const pw = v.indexOf(':', colon + 1);
    return v.slice(colon + 1, pw >= 0 && pw < at ? pw : at);
  }
  if (colon === s + 3 && lower(v.charCodeAt(s)) === 0x74 && lower(v.charCodeAt(s + 1)) === 0x65 && lower(v.charCodeAt(s + 2)) === 0x6c) {
    const semi = v.indexOf(';', colon + 1);
    return v.slice(colon + 1, semi < 0 || semi > e ? e : semi);
  }
  return '';
}

/**
 * Value of `;name=value` among the parameters in v[from, end) — name matched
 * case-insensitively (`lowerName` must be lowercase). '' when absent or valueless.
 * Walks ';' with the native single-character search and compares names in
 * place: multi-character indexOf and per-character scans both cost more.
 */
export function findParam(v: string, from: number, end: number, lowerName: string): string {
  const nl = lowerName.length;
  const first = lowerName.charCodeAt(0);
  let p = from;
  for (;;) {
    const semi = v.indexOf(';', p);
    if (semi < 0 || semi >= end) return '';
    let i = semi + 1;
    while (i < end && (v.charCodeAt(i) === SP || v.charCodeAt(i) === HT)) i++;
    if (i + nl < end && lower(v.charCodeAt(i)) === first) {
      let k = 1;
      while (k < nl && lower(v.charCodeAt(i + k)) === lowerName.charCodeAt(k)) k++;
      if (k === nl) {
        let j = i + nl;
        while (j < end && (v.charCodeAt(j) === SP || v.charCodeAt(j) === HT)) j++;
        if (j < end && v.charCodeAt(j) === 0x3d) return paramValue(v, j + 1, end);
      }
    }
    p = semi + 1;
  }
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/**
 * Parameter value starting at j (after '='), up to ';' or `end` (callers
 * bound `end` by the Via hop's comma), without surrounding whitespace.
 * Whitespace inside a value is not legal SIP and is kept as written.
 */
function paramValue(v: string, j: number, end: number): string {
  while (j < end && (v.charCodeAt(j) === SP || v.charCodeAt(j) === HT)) j++;
  let e = v.indexOf(';', j);
  if (e < 0 || e > end) e = end;
  while (e > j && isWs(v.charCodeAt(e - 1))) e--;
  return v.slice(j, e);
}

/**
 * Appends the branch of every Via hop in one header value (hops are
 * comma-separated). Commas inside quoted parameter values do not split.
 */
export function collectViaBranches(v: string, out: string[], start = 0, n = v.length): void {
  const q = v.indexOf('"', start);
  const quoted = q >= 0 && q < n;
  let p = start;
  while (p <= n) {
    let comma = quoted ? unquotedComma(v, p, n) : v.indexOf(',', p);
    if (comma >= n) comma = -1;
    const end = comma < 0 ? n : comma;
    let s = p;
    while (s < end && isWs(v.charCodeAt(s))) s++;
    if (s < end) out.push(findParam(v, s, end, 'branch')); // skip empty hops ("a,,b", trailing comma)
    if (comma < 0) return;
    p = comma + 1;
  }
}

function unquotedComma(v: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = v.charCodeAt(i);
    if (c === DQUOTE) {
      const q = closingQuote(v, i + 1, end);
      if (q < 0) return -1;
      i = q;
    } else if (c === COMMA) return i;
  }
  return -1;
}
