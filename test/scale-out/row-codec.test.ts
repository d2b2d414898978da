import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEventId } from '../../src/events/event-id.js';
import { decodeTraceRow, encodeTraceRow } from '../../src/scale-out/row-codec.js';
import type { TraceRow } from '../../src/trace/store/types.js';

const ROW: TraceRow = {
  timeUs: 1_796_000_000_123_456, callid: 'a84b4c76e66710@pc33', tracedUser: 'alice', traceAttrs: null, msg: 'INVITE sip:bob@b SIP/2.0\r\n\r\n', method: 'INVITE',
  status: '', fromProto: 'udp', fromIp: '10.0.0.1', fromPort: 5060, toProto: 'tcp', toIp: '::1', toPort: 5061, fromtag: 'f', totag: '', direction: 'in',
  captureId: 4_294_967_295, node: 'edge-1', fromUser: 'alice', toUser: 'bob', ruriUser: 'bob',
};

test('a trace row crosses the broker unchanged, with its uid', () => {
  const uid = newEventId();
  for (const row of [ROW, { ...ROW, traceAttrs: 'x=1', direction: '' as const, msg: 'ünïcode\0' }]) {
    const decoded = decodeTraceRow(encodeTraceRow(row, uid));
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.row, { ...row, uid });
  }
});

test('a body that is not a row is refused with the field that is wrong, never thrown', () => {
  const good = JSON.parse(encodeTraceRow(ROW, newEventId())) as Record<string, unknown>;
  const cases: Array<[unknown, RegExp]> = [
    ['{', /not JSON/], ['[1]', /not a JSON object/], ['null', /not a JSON object/],
    [{ ...good, v: 2 }, /unknown row format v=2/], [{ ...good, uid: 'x' }, /uid: not a UUID/],
    [{ ...good, callid: 7 }, /callid: not a string/], [{ ...good, fromPort: -1 }, /fromPort: not a whole number/],
    [{ ...good, timeUs: 1.5 }, /timeUs: not a whole number/], [{ ...good, traceAttrs: 3 }, /traceAttrs/], [{ ...good, direction: 'up' }, /direction/],
  ];
  for (const [body, reason] of cases) {
    const decoded = decodeTraceRow(typeof body === 'string' ? body : JSON.stringify(body));
    assert.equal(decoded.ok, false);
    if (!decoded.ok) assert.match(decoded.message, reason);
  }
  const extra = decodeTraceRow(JSON.stringify({ ...good, __proto__: { polluted: 1 }, extra: 'x' }));
  assert.ok(extra.ok && !('extra' in extra.row), 'unknown members are not carried into the row');
});
