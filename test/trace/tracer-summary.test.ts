import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSipSummaries } from '../../src/trace/sip-pool/sip-parse-pool.js';
import { parseSip } from '../../src/trace/sip/index.js';
import { fromSummary } from '../../src/trace/tracer-summary.js';
import { loadFixtures } from './tracer-fixtures.js';

const MALFORMED = [
  'hello, not SIP',
  'OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n',
  'OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>\r\n\r\n',
  'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: one OPTIONS\r\nFrom: <sip:a@b>\r\nTo: <sip:b@c>\r\n\r\n',
].map((text) => Buffer.from(text));

test('a pool summary gives the tracer the fields and refusals parseSip gives', () => {
  const messages = [...loadFixtures('rawsip').map((f) => f.bytes), ...MALFORMED];
  const summaries = parseSipSummaries(messages);
  for (const [i, raw] of messages.entries()) {
    const direct = parseSip(raw);
    const pooled = fromSummary(summaries[i]);
    assert.ok(pooled !== undefined);
    if (!direct.ok) {
      assert.deepEqual(pooled, { ok: false, error: direct.error });
      continue;
    }
    assert.ok(pooled.ok);
    const m = direct.message;
    assert.deepEqual(pooled.sip, m.kind === 'request'
      ? { kind: m.kind, method: m.method, requestUri: m.requestUri, callId: m.callId, cseqNumber: m.cseqNumber, cseqMethod: m.cseqMethod, fromUser: m.fromUser, fromTag: m.fromTag, toUser: m.toUser, toTag: m.toTag }
      : { kind: m.kind, status: m.status, callId: m.callId, cseqNumber: m.cseqNumber, cseqMethod: m.cseqMethod, fromUser: m.fromUser, fromTag: m.fromTag, toUser: m.toUser, toTag: m.toTag });
  }
  assert.equal(summaries.filter((s) => !s.ok).length, MALFORMED.length);
});

test('an oversized summary is parsed again by the tracer, against its own limit', () => {
  const [summary] = parseSipSummaries([Buffer.alloc(70_000, 0x41)]);
  assert.equal(summary.error, 'oversized');
  assert.equal(fromSummary(summary), undefined);
});
