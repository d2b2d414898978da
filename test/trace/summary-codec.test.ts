import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSip } from '../../src/trace/sip/index.js';
import { packSipBatch, parseSipBatch, unpackSipBatch } from '../../src/trace/sip-pool/sip-batch.js';
import { decodeSummaries, SummaryEncoder, summaryTransferList, type SipSummary } from '../../src/trace/sip-pool/summary-codec.js';

const INVITE = 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1\r\nCall-ID: ü-1@host\r\nCSeq: 7 INVITE\r\nFrom: "Alice" <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n\r\n';
const OK = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK-1\r\nCall-ID: ü-1@host\r\nCSeq: 7 INVITE\r\nFrom: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b2\r\n\r\n';
const BROKEN = 'INVITE sip:bob@example.com SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n';

/** Every field distinct, so a value read from the wrong column cannot pass. */
const DISTINCT: SipSummary = {
  ok: true, error: 'e', errorOffset: 11, errorMessage: 'em', errorHeader: 'eh', kind: 'response', method: 'm', status: 486,
  requestUri: 'ru', callId: 'ci', cseqNumber: 9, cseqMethod: 'cm', fromUser: 'fu', fromTag: 'ft', toUser: 'tu', toTag: 'tt', viaBranch: 'vb',
};

test('summaries survive encode, a thread hop (structured clone with transfer) and decode, field by field', () => {
  const inputs: SipSummary[] = [
    DISTINCT,
    { ...DISTINCT, ok: false, kind: '', callId: '', fromUser: 'ünïcode 🎉', status: 0 },
    { ...DISTINCT, kind: 'request', method: 'INVITE', toTag: '' },
  ];
  const encoder = new SummaryEncoder();
  for (const summary of inputs) encoder.push(summary);
  const columns = encoder.finish();
  const hopped = structuredClone(columns, { transfer: summaryTransferList(columns) });
  assert.deepEqual(decodeSummaries(hopped), inputs);
});

test('an empty batch round-trips to no summaries', () => {
  assert.deepEqual(decodeSummaries(new SummaryEncoder().finish()), []);
});

test('a parsed batch decodes to the fields parseSip gives on this thread, refusals included', () => {
  const messages = [INVITE, OK, BROKEN].map((text) => Buffer.from(text));
  const summaries = unpackSipBatch(parseSipBatch(packSipBatch(messages)));
  for (const [i, bytes] of messages.entries()) {
    const direct = parseSip(bytes);
    const summary = summaries[i];
    if (!direct.ok) {
      assert.deepEqual([summary.ok, summary.kind, summary.error, summary.errorOffset, summary.errorMessage, summary.errorHeader],
        [false, '', direct.error.reason, direct.error.offset, direct.error.message, direct.error.header ?? '']);
      continue;
    }
    const m = direct.message;
    assert.deepEqual(summary, {
      ok: true, error: '', errorOffset: 0, errorMessage: '', errorHeader: '', kind: m.kind, method: m.method ?? '', status: m.status ?? 0,
      requestUri: m.requestUri ?? '', callId: m.callId, cseqNumber: m.cseqNumber, cseqMethod: m.cseqMethod, fromUser: m.fromUser,
      fromTag: m.fromTag, toUser: m.toUser, toTag: m.toTag, viaBranch: m.viaBranches[0] ?? '',
    });
  }
  assert.equal(summaries[2].ok, false, 'the broken message is refused');
});
