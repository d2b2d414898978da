import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEvent } from '../../src/events/event.js';
import { eventToJsonLine } from '../../src/events/serialize-json.js';
import { parseDovecotBody } from '../../src/sources/dovecot/parse.js';
import { parseNdjson } from '../../src/sources/http/parse-ndjson.js';
import type { IngestContext } from '../../src/sources/ingest/context.js';
import { REJECT_REASONS, type ParseOutcome } from '../../src/sources/ingest/outcome.js';
import { IngestStats } from '../../src/sources/ingest/stats.js';
import { parseOmeLine } from '../../src/sources/ome/parse-line.js';
import { JsonObjectSplitter } from '../../src/runtime/json-object-splitter.js';
import { parseOpensipsDatagram } from '../../src/sources/opensips/parse-datagram.js';
import { seededInt } from '../helpers/random.js';
import { dovecotBodies, ingestContext } from './ingest-helpers.js';

/*
 * Every parser gets HERALD_FUZZ_CASES (default 100,000) inputs mutated from the
 * recorded fixtures: none may throw, every input is accepted or refused with a
 * known reason and a message, the counters add up, and whatever is accepted
 * serializes. Seeded: a failure names its seed.
 */
const CASES = Number(process.env.HERALD_FUZZ_CASES ?? 100_000);
const INTERESTING = Buffer.from('{}[]":,\\\t\n\r\u0001=#/0123456789-.eE tfnul').subarray(0);
const HIGH_BYTES = [0x00, 0x7f, 0x80, 0xc3, 0xe2, 0xf0, 0xff];

function mutate(seeds: readonly Buffer[], rand: (n: number) => number): Buffer {
  let bytes = Buffer.from(seeds[rand(seeds.length)]);
  const rounds = 1 + rand(4);
  for (let r = 0; r < rounds; r++) {
    const at = rand(bytes.length + 1);
    switch (rand(7)) {
      case 0: // flip a bit
        if (bytes.length > 0) bytes[at % bytes.length] ^= 1 << rand(8);
        break;
      case 1: { // insert an interesting byte
        const byte = rand(4) === 0 ? HIGH_BYTES[rand(HIGH_BYTES.length)] : INTERESTING[rand(INTERESTING.length)];
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(byte), bytes.subarray(at)]);
        break;
      }
      case 2: // delete a run
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + rand(16))]);
        break;
      case 3: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 4: { // duplicate a run
        const run = bytes.subarray(at, at + 1 + rand(32));
        bytes = Buffer.concat([bytes.subarray(0, at), run, run, bytes.subarray(at + run.length)]);
        break;
      }
      case 5: { // splice the head of another seed
        const other = seeds[rand(seeds.length)];
        bytes = Buffer.concat([bytes.subarray(0, at), other.subarray(rand(other.length + 1))]);
        break;
      }
      default: // overwrite with a digit or quote (type confusion)
        if (bytes.length > 0) bytes[at % bytes.length] = INTERESTING[rand(INTERESTING.length)];
    }
  }
  return bytes;
}

const KNOWN = new Set<string>(REJECT_REASONS);

function check(outcome: ParseOutcome, stats: IngestStats, where: string): void {
  stats.count(outcome);
  if (outcome.ok) {
    // Whatever is accepted must reach a backend intact: the JSON record must serialize and parse.
    JSON.parse(eventToJsonLine(createEvent(outcome.event.def, outcome.event.params, outcome.event.options, 'fuzz')));
  } else {
    assert.ok(KNOWN.has(outcome.rejection.reason), `${where}: unknown reason ${outcome.rejection.reason}`);
    assert.ok(outcome.rejection.message.length > 0, `${where}: empty message`);
  }
}

function fuzz(name: string, seeds: readonly Buffer[], parse: (input: Buffer, ctx: IngestContext) => ParseOutcome[], ctx: IngestContext): void {
  test(`fuzz ${name}: ${CASES} mutated inputs, no crash, every refusal counted by reason`, () => {
    const stats = new IngestStats();
    let outcomes = 0;
    const rand = seededInt(0x15 + name.length);
    for (let i = 0; i < CASES; i++) {
      const input = mutate(seeds, rand);
      let results: ParseOutcome[];
      try {
        results = parse(input, ctx);
      } catch (error) {
        throw new Error(`${name} case ${i} threw on ${JSON.stringify(input.toString('latin1'))}`, { cause: error });
      }
      for (const outcome of results) check(outcome, stats, `${name} case ${i}`);
      outcomes += results.length;
    }
    const snapshot = stats.snapshot();
    const byReason = Object.entries(snapshot).filter(([key]) => key.startsWith('rejected.')).reduce((sum, [, n]) => sum + n, 0);
    assert.equal(snapshot.accepted + snapshot.rejected, outcomes, 'every outcome counted once');
    assert.equal(byReason, snapshot.rejected, 'refusals add up by reason');
    assert.ok(snapshot.accepted > 0 && snapshot.rejected > 0, 'the mutations hit both sides');
    // The figures for the closing note.
    console.log(`fuzz ${name}: ${CASES} inputs, ${outcomes} outcomes, ${JSON.stringify(snapshot)}`);
  });
}

const json = dovecotBodies('dovecot-json').map((f) => f.body);
const tabText = dovecotBodies('dovecot-tabtext').map((f) => f.body);
fuzz('dovecot json', json, (input, ctx) => [parseDovecotBody(input, 'json', ctx)], ingestContext('dovecot', ['dovecot']));
fuzz('dovecot tab-text', tabText, (input, ctx) => [parseDovecotBody(input, 'tab-text', ctx)], ingestContext('dovecot', ['dovecot']));

const OPENSIPS_SEEDS = [
  '{"jsonrpc":"2.0","method":"E_CORE_TCP_DISCONNECT","params":{"src_ip":"10.0.0.1","src_port":5060,"dst_ip":"10.0.0.2","dst_port":5061,"proto":"tls"}}',
  '{"id":7,"jsonrpc":"2.0","method":"E_CORE_THRESHOLD","params":["dns",1500,"example.com"]}',
  '{"jsonrpc":"2.0","method":"E_MY_EVENT","params":{"callid":"abc@host","state":4}}',
  'E_CORE_THRESHOLD\nsource::tcp_write\ntime::250\nextra::"line one\nsaid \\"hi\\""\n\n',
  'E_CORE_PKG_THRESHOLD\n80\n75\n1000\n2000\n42\n\n',
].map((s) => Buffer.from(s));
fuzz('opensips datagram', OPENSIPS_SEEDS, (input, ctx) => [parseOpensipsDatagram(input, ctx).outcome], ingestContext('opensips', undefined));
fuzz('opensips stream', [Buffer.concat(OPENSIPS_SEEDS.slice(0, 3))], (input, ctx) => {
  const splitter = new JsonObjectSplitter(512);
  const pieces = [...splitter.push(input), ...splitter.end()];
  return pieces.map((piece) => (piece.ok
    ? parseOpensipsDatagram(piece.text, ctx).outcome
    : { ok: false, rejection: { reason: piece.reason, message: piece.message, offset: piece.offset } }));
}, ingestContext('opensips', undefined));

const RECORDS = [
  '{"time":"2025-03-26T05:21:46.315+00:00","level":"Info","category":"StreamEvent","type":"StreamPrepared","sourceId":"#default#app/stream","summary":"Stream prepared. Id: 103, StreamType: Rtmp, SourceUrl: TCP://172.17.0.1:44004","snapshot":{"tracks":[{"id":0}]}}',
  '{"time":"2025-03-26T05:21:47.000+00:00","level":"Warning","category":"StreamEvent","type":"AbnormalStreamDetected","sourceId":"#default#app/s1","summary":"Abnormal stream detected: s1","cause":"BFrameDetected"}',
  '{"time":"2025-03-26T05:21:48.000+00:00","level":"Info","category":"StreamEvent","type":"PushPublishingStarted","sourceId":"#default#app/s1","summary":"PushPublishing started. Id: JwW9AM, Protocol: rtmp, Url: rtmp://192.168.0.234:52935/app/pushedRtmp, StreamKey: "}',
  '{"time":1795316933.5,"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":12,"extra":"x"}}',
].map((s) => Buffer.from(s));
fuzz('ome events.log line', RECORDS.slice(0, 3), (input, ctx) => [parseOmeLine(input.toString('utf8'), ctx)], ingestContext('ovenmediaengine', ['ovenmediaengine']));
fuzz('http ndjson', [Buffer.concat(RECORDS.flatMap((r) => [r, Buffer.from('\n')]))], (input, ctx) => parseNdjson(input.toString('utf8'), ctx, { maxLineBytes: 400 }), ingestContext('ingest', undefined));
