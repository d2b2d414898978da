import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packRows, unpackRows } from '../../src/trace/store/row-pack.js';
import type { TraceRow } from '../../src/trace/store/types.js';

const BASE: TraceRow = {
  timeUs: 1_733_400_000_123_456, callid: 'a84b4c76e66710@pc33.atlanta.com', tracedUser: 'alice', traceAttrs: 'tenant=7',
  msg: 'INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\n\r\n', method: 'INVITE', status: '',
  fromProto: 'udp', fromIp: '10.0.0.1', fromPort: 5060, toProto: 'tcp', toIp: '2001:db8::1', toPort: 65535,
  fromtag: '1928301774', totag: 'x', direction: 'in', captureId: 2001, node: 'edge-1', fromUser: 'alice', toUser: 'bob', ruriUser: 'bob',
};

test('packed trace rows come back field for field: empty and null values, non-Latin-1 text, numbers beyond 32 bits', () => {
  const rows: TraceRow[] = [
    BASE,
    { ...BASE, traceAttrs: null, tracedUser: '', totag: '', direction: '', node: '' },
    { ...BASE, msg: 'MESSAGE sip:zoë@example.com SIP/2.0\r\nSubject: ☎ 日本語 \u{1F600}\r\n\r\n', fromUser: 'zoë', traceAttrs: '' },
    { ...BASE, timeUs: 0, fromPort: 0, toPort: 0, captureId: 0xffff_ffff, msg: '' },
    { ...BASE, uid: '0193a6d2-7c1e-7000-8000-000000000001' },
    { ...BASE, uid: '' },
  ];
  assert.deepEqual(unpackRows(packRows(rows)), rows);
  assert.deepEqual(unpackRows(packRows([])), []);
});
