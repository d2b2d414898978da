import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonObjectSplitter, type StreamPiece } from '../../src/runtime/json-object-splitter.js';
import { parseOpensipsDatagram } from '../../src/sources/opensips/parse-datagram.js';
import { accepted, ingestContext } from './ingest-helpers.js';

const ctx = ingestContext('opensips', undefined);

test('a JSON-RPC notification (event_datagram >= 3.1) lands typed by the core pack', () => {
  const datagram = '{"jsonrpc":"2.0","method":"E_CORE_TCP_DISCONNECT","params":{"src_ip":"10.0.0.1","src_port":5060,"dst_ip":"10.0.0.2","dst_port":"5061","proto":"tls"}}';
  const { outcome, requestId } = parseOpensipsDatagram(Buffer.from(datagram), ctx);
  const event = accepted(outcome);
  assert.equal(requestId, undefined);
  assert.equal(event.def.name, 'E_CORE_TCP_DISCONNECT');
  assert.equal(event.typed, true);
  assert.deepEqual(event.params, { src_ip: '10.0.0.1', src_port: 5060, dst_ip: '10.0.0.2', dst_port: 5061, proto: 'tls' });
});

test('a request with an id (event_stream reliable mode) keeps the id; positional params map by catalogue order', () => {
  const { outcome, requestId } = parseOpensipsDatagram('{"id":7,"jsonrpc":"2.0","method":"E_CORE_THRESHOLD","params":["dns",1500,"example.com"]}', ctx);
  assert.equal(requestId, 7);
  assert.deepEqual(accepted(outcome).params, { source: 'dns', time: 1500, extra: 'example.com' });
  const tooMany = parseOpensipsDatagram('{"jsonrpc":"2.0","method":"E_CORE_THRESHOLD","params":["dns",1,"x","extra"]}', ctx).outcome;
  assert.equal(!tooMany.ok && tooMany.rejection.reason, 'invalid_params');
});

test('the <= 3.0 text datagram: named, positional and quoted multi-line values', () => {
  const named = 'E_CORE_THRESHOLD\nsource::tcp_write\ntime::250\nextra::"line one\nsaid \\"hi\\""\n\n';
  assert.deepEqual(accepted(parseOpensipsDatagram(named, ctx).outcome).params, { source: 'tcp_write', time: 250, extra: 'line one\nsaid "hi"' });
  const positional = 'E_CORE_THRESHOLD\ndns\n100\nexample.org\n\n';
  assert.deepEqual(accepted(parseOpensipsDatagram(positional, ctx).outcome).params, { source: 'dns', time: 100, extra: 'example.org' });
  const mixed = parseOpensipsDatagram('E_CORE_THRESHOLD\nsource::dns\n100\n\n', ctx).outcome;
  assert.equal(!mixed.ok && mixed.rejection.reason, 'malformed');
});

test('script events OpenSIPS raises that the catalogue lacks are kept untyped, or refused by policy', () => {
  const datagram = '{"jsonrpc":"2.0","method":"E_MY_DIALOG","params":{"callid":"abc@host","state":4}}';
  const kept = accepted(parseOpensipsDatagram(datagram, ctx).outcome);
  assert.equal(kept.typed, false);
  assert.deepEqual(kept.params, { callid: 'abc@host', state: 4 });
  const refused = parseOpensipsDatagram(datagram, ingestContext('opensips', undefined, 'reject')).outcome;
  assert.equal(!refused.ok && refused.rejection.reason, 'unknown_event');
});

function texts(pieces: StreamPiece[]): string[] {
  return pieces.map((piece) => (piece.ok ? piece.text : `!${piece.reason}@${piece.offset}`));
}

test('the stream splitter finds back-to-back objects across any chunking, with braces inside strings', () => {
  const objects = ['{"a":"}{"}', '{"b":{"c":[1,{"d":"\\"}"}]}}', '{"e":"é😀"}'];
  const stream = Buffer.from(` ${objects[0]}${objects[1]}\n${objects[2]}`);
  for (let size = 1; size <= stream.length; size++) {
    const splitter = new JsonObjectSplitter(1024);
    const out: StreamPiece[] = [];
    for (let i = 0; i < stream.length; i += size) out.push(...splitter.push(stream.subarray(i, i + size)));
    assert.deepEqual(texts(out), objects, `chunk size ${size}`);
    assert.deepEqual(splitter.end(), []);
  }
});

test('the stream splitter refuses oversized objects and garbage by offset, then carries on', () => {
  const splitter = new JsonObjectSplitter(10);
  const out = splitter.push(Buffer.from('{"x":"0123456789"}xx{"ok":1}{"torn":'));
  assert.deepEqual(texts(out), ['!too_large@0', '!malformed@18', '{"ok":1}']);
  assert.equal(splitter.pendingBytes, 8);
  assert.deepEqual(texts(splitter.end()), ['!malformed@28']);
});
