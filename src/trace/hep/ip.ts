/**
 * IP address <-> bytes without going through node:net or string splitting on
 * the decode path: the decoder formats two addresses per packet, so this is
 * table lookups and concatenation only.
 */

/** '0'..'255' precomputed: number→string conversion is the costly part of IPv4 formatting. */
const DEC: string[] = Array.from({ length: 256 }, (_, i) => String(i));

export function formatIpv4(b: Uint8Array, off: number): string {
  return DEC[b[off]] + '.' + DEC[b[off + 1]] + '.' + DEC[b[off + 2]] + '.' + DEC[b[off + 3]];
}

/** RFC 5952 text form (what inet_ntop and Homer print): lowercase, longest zero run as "::". */
export function formatIpv6(b: Uint8Array, off: number): string {
  const g: number[] = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  // IPv4-mapped addresses keep the dotted tail, as inet_ntop prints them.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return '::ffff:' + formatIpv4(b, off + 12);
  }
  let bestStart = -1;
  let bestLen = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += g[i].toString(16);
  }
  return out;
}

/** Writes a dotted-quad into dst[off..off+4); false when the text is not an IPv4 address. */
export function writeIpv4(text: string, dst: Uint8Array, off: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e; // virtual trailing '.'
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      if (++digits > 3 || value > 255) return false;
    } else if (c === 0x2e) {
      if (digits === 0 || part > 3) return false;
      dst[off + part++] = value;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  return part === 4;
}

/** Writes an IPv6 address (optionally "[...]" and/or "%zone") into dst[off..off+16). */
export function writeIpv6(text: string, dst: Uint8Array, off: number): boolean {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const groups: number[] = [];
  let gap = -1; // index in `groups` where "::" stands
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return false;
  const head = dbl >= 0 ? s.slice(0, dbl) : s;
  const tail = dbl >= 0 ? s.slice(dbl + 2) : '';
  const tailGroups: number[] = [];
  if (!parseGroups(head, groups, dbl < 0)) return false;
  if (dbl >= 0) {
    gap = groups.length;
    if (!parseGroups(tail, tailGroups, true)) return false;
  }
  const total = groups.length + tailGroups.length;
  if (gap < 0 ? total !== 8 : total > 7) return false;
  const all = gap < 0 ? groups : [...groups, ...new Array<number>(8 - total).fill(0), ...tailGroups];
  for (let i = 0; i < 8; i++) {
    dst[off + 2 * i] = all[i] >> 8;
    dst[off + 2 * i + 1] = all[i] & 0xff;
  }
  return true;
}

/** Colon-separated hex groups; the last one may be a dotted IPv4 when `allowV4Tail`. */
function parseGroups(s: string, out: number[], allowV4Tail: boolean): boolean {
  if (s.length === 0) return true;
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (allowV4Tail && i === parts.length - 1 && p.includes('.')) {
      const v4 = new Uint8Array(4);
      if (!writeIpv4(p, v4, 0)) return false;
      out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      continue;
    }
    if (p.length === 0 || p.length > 4) return false;
    let v = 0;
    for (let k = 0; k < p.length; k++) {
      const h = hexVal(p.charCodeAt(k));
      if (h < 0) return false;
      v = (v << 4) | h;
    }
    out.push(v);
  }
  return true;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}
