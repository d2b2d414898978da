// SIP parser: every recorded message (13 raw SIP copies, 26 HEP payloads from
// Kamailio/sipp), syntax variants, and every error with its reason and offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeHep } from '../../src/trace/hep/index.js';
import { getHeader, getHeaders, parseSip, parseNameAddr, toPlainMessage, SIP_ERROR_REASONS } from '../../src/trace/sip/index.js';
import type { SipErrorReason, SipMessage, SipParseResult } from '../../src/trace/sip/index.js';

interface Fixture { name: string; callId: string; firstLine: string; bytes: Buffer }

function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const kind of ['rawsip', 'hep'] as const) {
    const dir = fileURLToPath(new URL(`../fixtures/${kind}/`, import.meta.url));
    for (const line of readFileSync(dir + 'index.jsonl', 'utf8').trim().split('\n')) {
      const e = JSON.parse(line) as { file: string; call_id: string; first_line: string };
      let bytes: Buffer = readFileSync(dir + e.file);
      if (kind === 'hep') {
        const r = decodeHep(bytes);
        assert.ok(r.ok);
        bytes = r.packet.payload;
      }
      out.push({ name: `${kind}/${e.file}`, callId: e.call_id, firstLine: e.first_line, bytes });
    }
  }
  return out;
}

/**
 * Independent, deliberately naive reading of the same fields with regular
 * expressions (fine for these well-formed captures) to check the parser against.
 */
function oracle(text: string): Record<string, unknown> {
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const lines = head.split('\r\n');
  const hdr = (name: string): string[] => lines.slice(1).filter((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':')).map((l) => l.slice(l.indexOf(':') + 1).trim());
  const [cseqNum, cseqMethod] = hdr('CSeq')[0].split(/\s+/);
  const addr = (v: string): { uri: string; user: string; tag: string } => ({
    uri: /<([^>]*)>/.exec(v)?.[1] ?? '',
    user: /^sips?:([^@:;]+)@/.exec(/<([^>]*)>/.exec(v)?.[1] ?? '')?.[1] ?? '',
    tag: /;\s*tag=([^;\s]+)/i.exec(v.slice(v.indexOf('>')))?.[1] ?? '',
  });
  const from = addr(hdr('From')[0]);
  const to = addr(hdr('To')[0]);
  const branches = hdr('Via').flatMap((v) => v.split(',')).map((hop) => /;\s*branch=([^;\s]+)/i.exec(hop)?.[1] ?? '');
  return {
    callId: hdr('Call-ID')[0], cseqNumber: Number(cseqNum), cseqMethod,
    fromUri: from.uri, fromUser: from.user, fromTag: from.tag, toUri: to.uri, toUser: to.user, toTag: to.tag,
    viaBranches: branches, contact: hdr('Contact')[0], contentLength: Number(hdr('Content-Length')[0]),
    headerCount: lines.length - 1, body: text.slice(head.length + 4),
  };
}

function ok(r: SipParseResult): SipMessage {
  if (!r.ok) assert.fail(`${r.error.reason} @${r.error.offset}: ${r.error.message}`);
  return r.message;
}

function err(r: SipParseResult, reason: SipErrorReason, offset: number, header?: string): void {
  if (r.ok) assert.fail(`expected ${reason}, parsed fine`);
  assert.ok((SIP_ERROR_REASONS as readonly string[]).includes(r.error.reason));
  assert.deepEqual({ reason: r.error.reason, offset: r.error.offset }, { reason, offset }, r.error.message);
  if (header !== undefined) assert.equal(r.error.header, header);
  assert.ok(r.error.message.length > 0);
}

const P = (s: string): SipParseResult => parseSip(Buffer.from(s, 'utf8'));

for (const f of fixtures()) {
  test(`${f.name} parses and matches the index and an independent reading`, () => {
    const m = ok(parseSip(f.bytes));
    const text = f.bytes.toString('latin1');
    assert.equal(m.callId, f.callId);
    const first = m.kind === 'request' ? `${m.method} ${m.requestUri} SIP/2.0` : `SIP/2.0 ${m.status} ${m.reason}`;
    assert.equal(first, f.firstLine);
    if (m.kind === 'request') assert.equal(m.cseqMethod, m.method, 'a request carries its own method in CSeq');
    const o = oracle(text);
    assert.deepEqual({
      callId: m.callId, cseqNumber: m.cseqNumber, cseqMethod: m.cseqMethod, fromUri: m.fromUri, fromUser: m.fromUser,
      fromTag: m.fromTag, toUri: m.toUri, toUser: m.toUser, toTag: m.toTag, viaBranches: m.viaBranches, contact: m.contact,
      contentLength: m.contentLength, headerCount: m.headers.length, body: m.body.toString('latin1'),
    }, o);
    assert.ok(m.fromTag.length > 0, 'every captured message has a From tag');
    assert.ok(m.viaBranches.every((b) => b.startsWith('z9hG4bK')));
    assert.equal(m.raw, f.bytes);
    assert.equal(m.body.buffer, f.bytes.buffer, 'body is a view');
  });
}

test('responses: To tag, several Via hops from one comma-separated header', () => {
  const m = ok(P('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;rport;branch=z9hG4bK2\r\nVia: SIP/2.0/TCP c;branch=z9hG4bK3\r\n'
    + 'From: <sip:a@x>;tag=f1\r\nTo: "B" <sip:b@y>;tag=t1\r\nCall-ID: c1\r\nCSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n'));
  assert.deepEqual([m.kind, m.status, m.reason, m.method], ['response', 200, 'OK', undefined]);
  assert.deepEqual(m.viaBranches, ['z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3']);
  assert.deepEqual([m.fromTag, m.toTag, m.toUser, m.cseqNumber, m.cseqMethod], ['f1', 't1', 'b', 7, 'INVITE']);
});

test('compact header forms and case-insensitive names', () => {
  const m = ok(P('MESSAGE sip:b@y SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKc\r\nf: sip:a@x;tag=ft\r\nT: <sip:b@y>\r\ni: compact@id\r\n'
    + 'cSeQ: 2 MESSAGE\r\nm: <sip:a@10.0.0.1>\r\nc: text/plain\r\nk: path\r\ns: hi\r\ne: gzip\r\nl: 5\r\n\r\nhello'));
  assert.deepEqual([m.callId, m.fromUri, m.fromTag, m.toUri, m.toTag, m.contact, m.contentLength], ['compact@id', 'sip:a@x', 'ft', 'sip:b@y', '', '<sip:a@10.0.0.1>', 5]);
  assert.deepEqual(m.viaBranches, ['z9hG4bKc']);
  assert.equal(m.body.toString(), 'hello');
  assert.equal(getHeader(m, 'Content-Type'), 'text/plain');
  assert.equal(getHeader(m, 'content-type'), 'text/plain');
  assert.equal(getHeader(m, 'c'), 'text/plain');
  assert.equal(getHeader(m, 'Supported'), 'path');
  assert.equal(getHeader(m, 'Subject'), 'hi');
  assert.equal(getHeader(m, 'Content-Encoding'), 'gzip');
  assert.equal(getHeader(m, 'CALL-ID'), 'compact@id');
  assert.equal(getHeader(m, 'X-Missing'), undefined);
  assert.equal(m.headers[0][0], 'v', 'names are kept as written');
});

test('line folding, LF-only endings and trailing whitespace', () => {
  const m = ok(P('INVITE sip:b@y SIP/2.0  \nVia: SIP/2.0/UDP h\n  ;branch=z9hG4bKf  \nSubject: a\n\t  b  \nFrom: A <sip:a@x>\n ;tag=1\n'
    + 'To: <sip:b@y>\nCall-ID: lf@only \t\nCSeq: 1 INVITE\nContent-Length: 3\n\nabc'));
  assert.equal(m.method, 'INVITE');
  assert.deepEqual(m.viaBranches, ['z9hG4bKf']);
  assert.equal(getHeader(m, 'subject'), 'a b');
  assert.equal(getHeader(m, 'via'), 'SIP/2.0/UDP h ;branch=z9hG4bKf');
  assert.equal(m.fromTag, '1');
  assert.equal(m.callId, 'lf@only');
  assert.equal(m.body.toString(), 'abc');
});

test('a folded CSeq and a lowercase version in the start line are accepted', () => {
  const m = ok(P('INVITE sip:b@y sip/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\n'
    + 'Call-ID: c\r\nCSeq: 4711\r\n  REGISTER\r\n\r\n'));
  assert.equal(m.cseqNumber, 4711);
  assert.equal(m.cseqMethod, 'REGISTER');
  const r = ok(P('sip/2.0 180 Ringing\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n'));
  assert.equal(r.status, 180);
  err(P('INVITE sip:b@y SIP/2.1\r\n\r\n'), 'bad_start_line', 7);
  err(P(GOOD.replace('CSeq: 1 INVITE', 'CSeq: 1\r\n IN VITE')), 'bad_cseq', GOOD.indexOf('CSeq'), 'CSeq');
});

test('From/To forms: quoted names with < and escapes, addr-spec with tag, tel: and sips: users, passwords', () => {
  const cases: Array<[string, string, string, string]> = [
    ['"Bob" <sip:bob@x>;tag=1', 'sip:bob@x', 'bob', '1'],
    ['"a <b> \\" c" <sips:carol@y:5061;transport=tls>;tag=2', 'sips:carol@y:5061;transport=tls', 'carol', '2'],
    ['sip:bob@x;tag=3', 'sip:bob@x', 'bob', '3'],
    ['Bob Smith <sip:+4930123@gw;user=phone> ; TAG = 4 ;x=y', 'sip:+4930123@gw;user=phone', '+4930123', '4'],
    ['<tel:+1-555-0100;phone-context=x>;tag=5', 'tel:+1-555-0100;phone-context=x', '+1-555-0100', '5'],
    ['<sip:alice:secret@z>', 'sip:alice:secret@z', 'alice', ''],
    ['<sip:10.0.0.1:5060>;xtag=9', 'sip:10.0.0.1:5060', '', ''],
  ];
  for (const [value, uri, user, tag] of cases) assert.deepEqual(parseNameAddr(value), { uri, user, tag }, value);
  for (const bad of ['"unterminated <sip:a@b>', '"Bob" sip:bob@x', '<sip:a@b', '<>', '   ']) assert.equal(parseNameAddr(bad), null, bad);
});

test('UTF-8 in display names and reason phrases', () => {
  const m = ok(P('SIP/2.0 486 Besetzt – später\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: "Jürgen" <sip:jürgen@x>;tag=ä\r\nTo: <sip:b@y>\r\n'
    + 'Call-ID: ü1\r\nCSeq: 1 INVITE\r\n\r\n'));
  assert.deepEqual([m.reason, m.fromUser, m.fromTag, m.callId], ['Besetzt – später', 'jürgen', 'ä', 'ü1']);
  assert.equal(getHeader(m, 'from'), '"Jürgen" <sip:jürgen@x>;tag=ä');
});

test('body: rest of the datagram without Content-Length; extra bytes beyond it ignored', () => {
  const head = 'ACK sip:b@y SIP/2.0\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: b\r\nCSeq: 1 ACK\r\n';
  const noLen = ok(P(head + '\r\nrest of it'));
  assert.deepEqual([noLen.contentLength, noLen.body.toString(), noLen.viaBranches], [undefined, 'rest of it', []]);
  const padded = ok(P(head + 'Content-Length: 2\r\n\r\nabPADDING'));
  assert.equal(padded.body.toString(), 'ab');
});

test('leading CRLFs are skipped; a Uint8Array input works', () => {
  const text = '\r\n\r\nOPTIONS sip:x SIP/2.0\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x>\r\nCall-ID: o\r\nCSeq: 9 OPTIONS\r\n\r\n';
  const u8 = new Uint8Array(Buffer.from(text));
  const m = ok(parseSip(u8));
  assert.deepEqual([m.method, m.requestUri, m.cseqNumber], ['OPTIONS', 'sip:x', 9]);
  assert.equal(m.raw.buffer, u8.buffer);
});

test('JSON and toPlainMessage carry the lazily built fields', () => {
  const m = ok(P('BYE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKj\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: j\r\nCSeq: 3 BYE\r\nContent-Length: 0\r\n\r\n'));
  const json = JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
  assert.equal(json.fromTag, '1');
  assert.deepEqual(json.viaBranches, ['z9hG4bKj']);
  assert.equal((json.headers as unknown[]).length, 6);
  assert.equal(json.body, '');
  assert.equal({ ...m }.fromTag, undefined, 'spreading alone loses the lazy fields (documented)');
  const plain = { ...toPlainMessage(m) };
  assert.equal(plain.toTag, '2');
  assert.deepEqual(structuredClone({ ...plain, raw: null, body: null }).viaBranches, ['z9hG4bKj']);
  assert.deepEqual(getHeaders(m, 'via'), ['SIP/2.0/UDP h;branch=z9hG4bKj']);
});

// ---- errors -------------------------------------------------------------------

const GOOD = 'INVITE sip:b@y SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: e\r\nCSeq: 1 INVITE\r\nContent-Length: 4\r\n\r\nbody';

test('the reference message parses', () => {
  assert.equal(ok(P(GOOD)).body.toString(), 'body');
});

test('empty, non-SIP and malformed start lines', () => {
  err(parseSip(Buffer.alloc(0)), 'empty', 0);
  err(P('\r\n\r\n'), 'empty', 4);
  err(P('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 'not_sip', 0);
  err(P('\x00\x01\x02binary'), 'not_sip', 0);
  err(P('HEP3\x02\x61\x00\x00'), 'not_sip', 0);
  err(P('INVITE sip:b@y SIP/3.0\r\n\r\n'), 'bad_start_line', 7);
  err(P('INVITE  SIP/2.0\r\n\r\n'), 'bad_start_line', 7);
  err(P('INV<TE sip:b@y SIP/2.0\r\n\r\n'), 'bad_start_line', 0);
  err(P('SIP/2.0 20 OK\r\n\r\n'), 'bad_start_line', 8);
  err(P('SIP/2.0 700 Nope\r\n\r\n'), 'bad_start_line', 8);
  err(P('SIP/2.0 2000 OK\r\n\r\n'), 'bad_start_line', 8);
});

test('truncated headers, oversized input', () => {
  err(P('INVITE sip:b@y SIP/2.0'), 'truncated_headers', 22);
  const cut = GOOD.slice(0, GOOD.indexOf('CSeq'));
  err(P(cut), 'truncated_headers', cut.length);
  err(parseSip(Buffer.from(GOOD), { maxBytes: 100 }), 'oversized', 100);
  assert.ok(parseSip(Buffer.from(GOOD), { maxBytes: GOOD.length }).ok);
  err(parseSip(Buffer.alloc(70000, 0x41)), 'oversized', 65535);
});

test('bad header lines', () => {
  const at = GOOD.indexOf('To:');
  err(P(GOOD.replace('To: <sip:b@y>', 'To <sip:b@y>')), 'bad_header', at);
  err(P(GOOD.replace('To: <sip:b@y>', ': <sip:b@y>')), 'bad_header', at);
  err(P(GOOD.replace('To: <sip:b@y>', 'T o: <sip:b@y>')), 'bad_header', at);
  err(P(GOOD.replace('To: <sip:b@y>', '(To): <sip:b@y>')), 'bad_header', at);
  err(P('INVITE sip:b@y SIP/2.0\r\n folded-first: x\r\n\r\n'), 'bad_header', 24);
  err(P(GOOD.replace('Call-ID: e', 'Call-ID:  ')), 'bad_header', GOOD.indexOf('Call-ID'), 'Call-ID');
});

test('missing required headers are named', () => {
  const end = (s: string): number => s.indexOf('\r\n\r\n') + 4;
  for (const [name, line] of [['Call-ID', 'Call-ID: e\r\n'], ['CSeq', 'CSeq: 1 INVITE\r\n'], ['From', 'From: <sip:a@x>;tag=1\r\n'], ['To', 'To: <sip:b@y>\r\n']]) {
    const s = GOOD.replace(line, '');
    err(P(s), 'missing_header', end(s), name);
  }
});

test('bad CSeq, From/To and Content-Length values', () => {
  for (const v of ['x INVITE', '1', '1INVITE', '12345678901 INVITE', '1 INV ITE']) {
    err(P(GOOD.replace('CSeq: 1 INVITE', `CSeq: ${v}`)), 'bad_cseq', GOOD.indexOf('CSeq'), 'CSeq');
  }
  err(P(GOOD.replace('From: <sip:a@x>;tag=1', 'From: <sip:a@x;tag=1')), 'bad_address', GOOD.indexOf('From'), 'From');
  err(P(GOOD.replace('To: <sip:b@y>', 'To: "B" sip:b@y')), 'bad_address', GOOD.indexOf('To:'), 'To');
  err(P(GOOD.replace('Content-Length: 4', 'Content-Length: four')), 'bad_content_length', GOOD.indexOf('Content-Length'), 'Content-Length');
  err(P(GOOD.replace('Content-Length: 4', 'Content-Length: -1')), 'bad_content_length', GOOD.indexOf('Content-Length'));
});

test('a body shorter than Content-Length is body_truncated at the end of the data', () => {
  const s = GOOD.replace('Content-Length: 4', 'Content-Length: 40');
  err(P(s), 'body_truncated', s.length);
});
