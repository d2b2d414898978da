import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEvent } from '../../src/events/event.js';
import { eventToJsonLine } from '../../src/events/serialize-json.js';
import { parseNdjson, parseRecordLine } from '../../src/sources/http/parse-ndjson.js';
import { parseOmeLine } from '../../src/sources/ome/parse-line.js';
import { accepted, ingestContext } from './ingest-helpers.js';

const http = ingestContext('ingest', undefined);
const ome = ingestContext('ovenmediaengine', ['ovenmediaengine']);

test('an NDJSON body: good lines accepted, each bad line refused with its line number and reason', () => {
  const body = [
    '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":12,"extra":"x"}}',
    '',
    '{"type":"E_CORE_THRESHOLD","params":{"source":"dns","time":"twelve","extra":"x"}}',
    'not json',
    '{"type":"E_CORE_THRESHOLD","time":"2026-11-22T05:21:46.315+01:00","level":"error","sourceId":"edge-1","params":{"source":"dns","time":1,"extra":""}}\r',
    '{"params":{}}',
  ].join('\n');
  const outcomes = parseNdjson(body, http, { maxLineBytes: 4096 });
  assert.equal(outcomes.length, 5, 'the blank line is skipped');
  assert.deepEqual(outcomes.map((o) => (o.ok ? 'ok' : `${o.rejection.reason}@${o.rejection.line}`)), ['ok', 'invalid_params@3', 'malformed@4', 'ok', 'not_an_event@6']);
  const bad = outcomes[1];
  assert.match(!bad.ok ? bad.rejection.message : '', /^line 3: .*"time" expected int/);
  const full = accepted(outcomes[3]);
  assert.equal(full.options.level, 'error');
  assert.equal(full.options.sourceId, 'edge-1');
  assert.equal(full.options.timeUs, Date.UTC(2026, 10, 22, 4, 21, 46, 315) * 1000);
  const tooLong = parseNdjson('{"type":"E_CORE_THRESHOLD"}', http, { maxLineBytes: 10 });
  assert.equal(!tooLong[0].ok && tooLong[0].rejection.reason, 'too_large');
});

test('a record written by jsonl: reads back to the same record', () => {
  const first = accepted(parseRecordLine('{"type":"E_CORE_THRESHOLD","time":"2026-11-22T05:21:46.315+00:00","level":"warning","sourceId":"herald","params":{"source":"dns","time":12,"extra":"x"}}', http));
  const line = eventToJsonLine(createEvent(first.def, first.params, first.options, 'herald'));
  const again = accepted(parseRecordLine(line.trim(), http));
  assert.equal(eventToJsonLine(createEvent(again.def, again.params, again.options, 'herald')), line);
});

test('an OME events.log line is typed by the OME pack: params from sourceId and summary, summary/cause/snapshot kept', () => {
  const line = '{"time":"2025-03-26T05:21:46.315+00:00","level":"Info","category":"StreamEvent","type":"StreamPrepared","sourceId":"#default#app/stream","summary":"Stream prepared. Id: 103, StreamType: Rtmp, SourceUrl: TCP://172.17.0.1:44004","snapshot":{"tracks":[{"id":0,"codec":"H264"}]}}';
  const event = accepted(parseOmeLine(line, ome));
  assert.equal(event.typed, true);
  assert.equal(event.def.name, 'StreamPrepared');
  assert.deepEqual(event.params, { vhost: 'default', app: 'app', stream: 'stream', streamId: 103, streamType: 'Rtmp', sourceUrl: 'TCP://172.17.0.1:44004' });
  assert.deepEqual(event.options.snapshot, { tracks: [{ id: 0, codec: 'H264' }] });
  assert.equal(event.options.level, 'info');
  const written = JSON.parse(eventToJsonLine(createEvent(event.def, event.params, event.options, 'x'))) as Record<string, unknown>;
  const original = JSON.parse(line) as Record<string, unknown>;
  for (const key of ['category', 'type', 'sourceId', 'summary', 'snapshot', 'time']) assert.deepEqual(written[key], original[key], key);

  const abnormal = accepted(parseOmeLine('{"time":"2025-03-26T05:21:46.315+00:00","level":"Warning","category":"StreamEvent","type":"AbnormalStreamDetected","sourceId":"#default#app/s1","summary":"Abnormal stream detected: s1","cause":"BFrameDetected"}', ome));
  assert.equal(abnormal.options.cause, 'BFrameDetected');
  assert.equal(abnormal.params.stream, 's1');
});

test('an OME line whose summary does not fit the pack is refused with the expected shape; unknown types stay untyped', () => {
  const odd = parseOmeLine('{"type":"StreamCreated","sourceId":"#default#app/s","summary":"something else"}', ome);
  assert.equal(!odd.ok && odd.rejection.reason, 'invalid_params');
  assert.match(!odd.ok ? odd.rejection.message : '', /summary must read like/);
  const future = accepted(parseOmeLine('{"time":"2025-03-26T05:21:46.315+00:00","level":"Info","category":"StreamEvent","type":"StreamFrozen","sourceId":"#default#app/s","summary":"Stream frozen"}', ome));
  assert.equal(future.typed, false);
  assert.equal(future.def.category, 'StreamEvent');
  assert.equal(future.options.summary, 'Stream frozen');
  const foreign = parseOmeLine('{"type":"E_CORE_LOG"}', ome);
  assert.equal(!foreign.ok && foreign.rejection.reason, 'unknown_event');
  const badLevel = parseOmeLine('{"type":"StreamFrozen","level":"Loud"}', ome);
  assert.equal(!badLevel.ok && badLevel.rejection.reason, 'invalid_level');
});
