/**
 * The SipMessage implementation returned by parseSip.
 *
 * parseSip validates everything eagerly (so errors are reported at parse
 * time) but only builds the strings it must: start line, Call-ID, CSeq and
 * Content-Length. The From/To parts, Via branches, Contact, the header list
 * and the body view are built on first access from offsets recorded during
 * the scan, then cached: building them all costs about as much as the rest of
 * the parse, and many consumers read only a few of them.
 *
 * Consequence: those fields are prototype getters, not own properties. JSON
 * (toJSON) includes them; object spread and structuredClone do not — use
 * toPlainMessage() first when a message must cross a thread or be spread.
 */
import { collectViaBranches, nameAddrAt, parseNameAddr } from './address.js';
import type { NameAddr } from './address.js';
import type { SipMessage } from './types.js';

export type HeaderTuple = readonly [name: string, value: string];

/** What the parser recorded about the headers (offsets into the header-section string). */
export interface HeaderIndex {
  src: string;
  /** nameStart, nameEnd, valueStart, valueEnd for each header, in order. */
  offsets: number[];
  /** Full values of folded (multi-line) headers, by header index. */
  folded: Map<number, string> | undefined;
  /** The header section holds bytes ≥ 0x80: values are re-decoded as UTF-8. */
  nonAscii: boolean;
  bodyStart: number;
  bodyEnd: number;
  /** Header indexes of the first From / To / Contact (-1: none) and of every Via. */
  fromH: number;
  toH: number;
  contactH: number;
  vias: number[];
  /** URI start, URI end and parameter start of From / To in `src`, as validated by parseSip (-1: folded value). */
  fromUri0: number;
  fromUri1: number;
  fromParams: number;
  toUri0: number;
  toUri1: number;
  toParams: number;
}

const NO_ADDR: NameAddr = { uri: '', user: '', tag: '' };

export class ParsedSipMessage implements SipMessage {
  kind: 'request' | 'response';
  method: string | undefined;
  requestUri: string | undefined;
  status: number | undefined;
  reason: string | undefined;
  callId: string;
  cseqNumber: number;
  cseqMethod: string;
  contentLength: number | undefined;
  raw: Buffer;
  #ix: HeaderIndex;
  #from: NameAddr | undefined = undefined;
  #to: NameAddr | undefined = undefined;
  #via: string[] | undefined = undefined;
  #contact: string | undefined | null = null; // null: not computed yet
  #headers: HeaderTuple[] | undefined = undefined;
  #body: Buffer | undefined = undefined;

  constructor(
    raw: Buffer, ix: HeaderIndex, kind: 'request' | 'response', method: string | undefined, requestUri: string | undefined,
    status: number | undefined, reason: string | undefined, callId: string, cseqNumber: number, cseqMethod: string,
    contentLength: number | undefined,
  ) {
    this.kind = kind;
    this.method = method;
    this.requestUri = requestUri;
    this.status = status;
    this.reason = reason;
    this.callId = callId;
    this.cseqNumber = cseqNumber;
    this.cseqMethod = cseqMethod;
    this.contentLength = contentLength;
    this.raw = raw;
    this.#ix = ix;
  }

  get fromUri(): string { return this.#fromAddr().uri; }
  get fromUser(): string { return this.#fromAddr().user; }
  get fromTag(): string { return this.#fromAddr().tag; }
  get toUri(): string { return this.#toAddr().uri; }
  get toUser(): string { return this.#toAddr().user; }
  get toTag(): string { return this.#toAddr().tag; }

  get viaBranches(): string[] {
    if (this.#via === undefined) {
      const ix = this.#ix;
      const out: string[] = [];
      // On the value's own string (a cheap slice), so the native searches for
      // ',' and '"' stop at its end instead of running through the rest of the headers.
      for (const h of ix.vias) collectViaBranches(ix.folded?.get(h) ?? ix.src.slice(ix.offsets[4 * h + 2], ix.offsets[4 * h + 3]), out);
      this.#via = out;
    }
    return this.#via;
  }

  get contact(): string | undefined {
    if (this.#contact === null) this.#contact = this.#ix.contactH < 0 ? undefined : headerValue(this.#ix, this.#ix.contactH);
    return this.#contact;
  }

  get headers(): ReadonlyArray<HeaderTuple> {
    return (this.#headers ??= materialise(this.#ix));
  }

  get body(): Buffer {
    return (this.#body ??= this.raw.subarray(this.#ix.bodyStart, this.#ix.bodyEnd));
  }

  /** Every field as an own property (safe to spread, clone or post to a worker). */
  toPlain(): SipMessage {
    return toPlainMessage(this);
  }

  /** JSON form: all fields, body as UTF-8 text, raw omitted (it repeats headers and body). */
  toJSON(): Record<string, unknown> {
    return { ...this.toPlain(), body: this.body.toString('utf8'), raw: undefined };
  }

  #fromAddr(): NameAddr {
    return (this.#from ??= addrOf(this.#ix, true));
  }

  #toAddr(): NameAddr {
    return (this.#to ??= addrOf(this.#ix, false));
  }
}

/** Copy of any SipMessage with every field (lazy ones included) as an own property. */
export function toPlainMessage(m: SipMessage): SipMessage {
  return {
    kind: m.kind, method: m.method, requestUri: m.requestUri, status: m.status, reason: m.reason,
    callId: m.callId, cseqNumber: m.cseqNumber, cseqMethod: m.cseqMethod,
    fromUri: m.fromUri, fromUser: m.fromUser, fromTag: m.fromTag,
    toUri: m.toUri, toUser: m.toUser, toTag: m.toTag,
    viaBranches: m.viaBranches, contact: m.contact, contentLength: m.contentLength,
    headers: m.headers, body: m.body, raw: m.raw,
  };
}

function addrOf(ix: HeaderIndex, from: boolean): NameAddr {
  const h = from ? ix.fromH : ix.toH;
  const u0 = from ? ix.fromUri0 : ix.toUri0;
  let a: NameAddr;
  if (u0 >= 0) {
    a = nameAddrAt(ix.src, u0, from ? ix.fromUri1 : ix.toUri1, from ? ix.fromParams : ix.toParams, ix.offsets[4 * h + 3]);
  } else {
    // Folded value: parse its joined string (parseSip validated it, so null cannot happen).
    a = parseNameAddr(ix.folded?.get(h) ?? '') ?? NO_ADDR;
  }
  if (ix.nonAscii) return { uri: utf8(a.uri), user: utf8(a.user), tag: utf8(a.tag) };
  return a;
}

/** Value of header `i` as a string (folded value, or a slice re-decoded as UTF-8 if needed). */
export function headerValue(ix: HeaderIndex, i: number): string {
  const f = ix.folded?.get(i);
  if (f !== undefined) return f;
  const v = ix.src.slice(ix.offsets[4 * i + 2], ix.offsets[4 * i + 3]);
  return ix.nonAscii ? utf8(v) : v;
}

function materialise(ix: HeaderIndex): HeaderTuple[] {
  const count = ix.offsets.length / 4;
  const out: HeaderTuple[] = new Array<HeaderTuple>(count);
  for (let i = 0; i < count; i++) out[i] = [ix.src.slice(ix.offsets[4 * i], ix.offsets[4 * i + 1]), headerValue(ix, i)];
  return out;
}

/** Re-decodes a latin1-decoded string as UTF-8 when it holds any byte ≥ 0x80. */
export function utf8(v: string): string {
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) >= 0x80) return Buffer.from(v, 'latin1').toString('utf8');
  return v;
}
