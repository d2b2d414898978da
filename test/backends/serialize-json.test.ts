import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonExact } from '../../src/backends/jsonl/json-exact.js';
import { defineEvent } from '../../src/events/define.js';
import { createEvent } from '../../src/events/event.js';
import { param } from '../../src/events/params.js';
import { eventToJsonLine, IsoTimeFormatter, JsonLineSerializer } from '../../src/events/serialize-json.js';

const StreamCreated = defineEvent({
  name: 'StreamCreated',
  pack: 'test',
  category: 'StreamEvent',
  level: 'info',
  description: 'A stream was created.',
  params: { id: param.int('id'), url: param.string('url'), extra: param.json('extra').optional() },
  summary: 'Stream created. Id: {id}, SourceUrl: {url}',
  snapshot: true,
});

const TIME_US = Date.UTC(2026, 10, 22, 5, 21, 46, 315) * 1000 + 999;

test('the record has the fixed key order; cause and snapshot appear only when present', () => {
  const bare = createEvent(StreamCreated, { id: 103, url: 'TCP://172.17.0.1:44004' }, { timeUs: TIME_US, sourceId: '#default#app/stream' }, 'h');
  assert.equal(eventToJsonLine(bare, 'utc'),
    '{"time":"2026-11-22T05:21:46.315+00:00","level":"info","category":"StreamEvent","type":"StreamCreated","sourceId":"#default#app/stream",'
    + '"summary":"Stream created. Id: 103, SourceUrl: TCP://172.17.0.1:44004","params":{"id":103,"url":"TCP://172.17.0.1:44004"}}\n');
  const full = createEvent(StreamCreated, { id: 1, url: 'u' }, { timeUs: TIME_US, cause: 'DuplicatedStreamName', snapshot: { tracks: [{ id: 0 }] }, level: 'error' }, 'h');
  const record = JSON.parse(eventToJsonLine(full, 'utc')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(record), ['time', 'level', 'category', 'type', 'sourceId', 'summary', 'cause', 'snapshot', 'params']);
  assert.deepEqual([record.level, record.cause, record.snapshot], ['error', 'DuplicatedStreamName', { tracks: [{ id: 0 }] }]);
});

test('int64 params and bigints inside JSON values keep every digit, as JSON numbers', () => {
  const event = createEvent(StreamCreated, { id: -(2n ** 63n), url: '', extra: { big: 12345678901234567890n } as never }, { timeUs: TIME_US }, 'h');
  const line = eventToJsonLine(event, 'utc');
  assert.match(line, /"params":\{"id":-9223372036854775808,"url":"","extra":\{"big":12345678901234567890\}\}\}\n$/);
  const parsed = parseJsonExact(line.trim()) as { params: { id: bigint; extra: { big: bigint } } };
  assert.equal(parsed.params.id, -(2n ** 63n));
  assert.equal(parsed.params.extra.big, 12345678901234567890n);
});

test('strings are escaped exactly as JSON.stringify would, lone surrogates included', () => {
  const hostile = 'quote " backslash \\ newline \n tab \t nul \u0000 emoji 😀 lone \ud800 end';
  const event = createEvent(StreamCreated, { id: 1, url: hostile }, { timeUs: TIME_US, sourceId: hostile, cause: hostile }, 'h');
  const line = new JsonLineSerializer('utc').line(event);
  assert.ok(line.includes(JSON.stringify(hostile)));
  const record = JSON.parse(line) as { sourceId: string; cause: string; params: { url: string } };
  assert.deepEqual([record.sourceId, record.cause, record.params.url], [hostile, hostile, hostile]);
});

test('time carries milliseconds and the offset of the configured zone (local follows TZ, DST included)', (t) => {
  const previous = process.env.TZ;
  t.after(() => { process.env.TZ = previous; });
  const ms = Date.UTC(2026, 10, 22, 5, 21, 46, 7);
  assert.equal(new IsoTimeFormatter('utc').format(ms), '2026-11-22T05:21:46.007+00:00');
  process.env.TZ = 'Asia/Kolkata';
  assert.equal(new IsoTimeFormatter('local').format(ms), '2026-11-22T10:51:46.007+05:30');
  process.env.TZ = 'America/St_Johns';
  assert.equal(new IsoTimeFormatter('local').format(ms), '2026-11-22T01:51:46.007-03:30');
  assert.equal(new IsoTimeFormatter('local').format(Date.UTC(2026, 6, 1, 12, 0, 0, 999)), '2026-07-01T09:30:00.999-02:30');
});
