import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDovecotBody, dovecotFormatOf } from '../../src/sources/dovecot/parse.js';
import { tabUnescape } from '../../src/sources/dovecot/parse-tab-text.js';
import { parseEventTime } from '../../src/sources/ingest/time.js';
import { accepted, dovecotBodies, ingestContext } from './ingest-helpers.js';

const ctx = ingestContext('dovecot', ['dovecot']);

test('every recorded json body lands as its dovecot-pack event, typed, with every field Dovecot sent', () => {
  const bodies = dovecotBodies('dovecot-json');
  assert.equal(bodies.length, 20);
  for (const { file, body } of bodies) {
    const sent = JSON.parse(body.toString()) as { event: string; hostname: string; start_time: string; end_time: string; categories: string[]; fields: Record<string, unknown> };
    const event = accepted(parseDovecotBody(body, 'json', ctx), file);
    assert.equal(event.typed, true, file);
    assert.equal(event.def.name, sent.event, file);
    assert.equal(event.def.pack, 'dovecot', file);
    assert.equal(event.options.sourceId, sent.hostname, file);
    assert.equal(event.options.timeUs, parseEventTime(sent.end_time), file);
    assert.equal(event.params.start_time, (parseEventTime(sent.start_time) as number) / 1e6, file);
    assert.deepEqual(event.params.categories, sent.categories, file);
    for (const [name, value] of Object.entries(sent.fields)) {
      const expected = event.def.params[name]?.kind === 'timestamp' ? (parseEventTime(value) as number) / 1e6 : value;
      assert.deepEqual(event.params[name], expected, `${file}: field ${name}`);
    }
  }
});

test('real 2.3.19 names and the pack names are both there (cmd_tag and tag, original_user and original_username)', () => {
  const [command] = dovecotBodies('dovecot-json').filter(({ body }) => body.includes('"cmd_name":"SELECT"'));
  const event = accepted(parseDovecotBody(command.body, 'json', ctx));
  assert.equal(event.params.cmd_tag, 'PPFI4');
  assert.equal(event.params.tag, 'PPFI4');
  assert.equal(event.params.name, 'SELECT');
  assert.equal(event.params.args, 'INBOX');
  assert.deepEqual(event.params.reason_code, ['imap:cmd_select']);
  assert.equal(event.params.last_run_time, 1795317192.904633);
  const auth = accepted(parseDovecotBody(dovecotBodies('dovecot-json')[1].body, 'json', ctx));
  assert.equal(auth.def.name, 'auth_request_finished');
  assert.equal(auth.params.original_username, 'alice');
  assert.equal(auth.params.original_user, 'alice');
});

test('every recorded tab-text body lands typed, with the same params a json body of the same event gives', () => {
  const bodies = dovecotBodies('dovecot-tabtext');
  assert.equal(bodies.length, 8);
  // The two recordings replay the same session: the first json body of the same event (and IMAP command) is the twin.
  const json = new Map<string, ReturnType<typeof accepted>>();
  for (const { body } of dovecotBodies('dovecot-json')) {
    const event = accepted(parseDovecotBody(body, 'json', ctx));
    const key = `${event.def.name}/${String(event.params.cmd_name)}`;
    if (!json.has(key)) json.set(key, event);
  }
  for (const { file, body } of bodies) {
    const event = accepted(parseDovecotBody(body, 'tab-text', ctx), file);
    assert.equal(event.typed, true, file);
    const twin = json.get(`${event.def.name}/${String(event.params.cmd_name)}`);
    assert.ok(twin, file);
    // Same keys, and each value of the same JS type (numbers stay numbers, lists stay lists).
    assert.deepEqual(Object.keys(event.params).sort(), Object.keys(twin.params).sort(), file);
    for (const name of Object.keys(event.params)) {
      assert.equal(Array.isArray(event.params[name]), Array.isArray(twin.params[name]), `${file}: ${name} list-ness`);
      assert.equal(typeof event.params[name], typeof twin.params[name], `${file}: ${name} type`);
    }
  }
});

test('tab-text: Dovecot escapes, multi-value lists joined by \\x01t, and time-unix', () => {
  const body = [
    'event:imap_command_finished', 'hostname:mx1', 'start_time:1795316933.005611', 'end_time:1795316933.009000',
    'category:imap', 'field:cmd_tag=A1', 'field:cmd_name=FETCH', 'field:tagged_reply=OK \u0001tdone\u0001n',
    'field:reason_code=imap:cmd_fetch\u0001timap:fetch_size', 'field:bytes_in=34', 'field:last_run_time=1795316933.005',
  ].join('\t');
  const event = accepted(parseDovecotBody(body, 'tab-text', ctx));
  assert.equal(event.params.tagged_reply, 'OK \tdone\n');
  assert.deepEqual(event.params.reason_code, ['imap:cmd_fetch', 'imap:fetch_size']);
  assert.equal(event.params.bytes_in, 34);
  assert.equal(event.params.start_time, 1795316933.005611);
  assert.equal(event.options.timeUs, 1795316933009000);
  assert.equal(event.params.last_run_time, 1795316933.005);
  assert.equal(tabUnescape('a\u00011b\u00010'), 'a\u0001b\u0000');
  assert.equal(tabUnescape('broken\u0001'), undefined);
});

test('json with time-unix numbers lands at the same instant as rfc3339', () => {
  const body = '{"event":"imap_command_finished","hostname":"vm","start_time":1795316933.005611,"end_time":1795316933.009,"categories":["imap"],"fields":{"cmd_tag":"A","last_run_time":1795316933.005}}';
  const event = accepted(parseDovecotBody(body, 'json', ctx));
  assert.equal(event.options.timeUs, 1795316933009000);
  assert.equal(event.params.last_run_time, 1795316933.005);
});

test('unknown events follow the policy: kept untyped (and still level/category-routable) or refused', () => {
  const body = '{"event":"smtp_server_command_finished","hostname":"vm","end_time":"2026-11-22T03:13:12.899773Z","categories":["service:submission","smtp-server"],"fields":{"cmd_name":"EHLO","status_code":250}}';
  const kept = accepted(parseDovecotBody(body, 'json', ctx));
  assert.equal(kept.typed, false);
  assert.equal(kept.def.category, 'smtp-server');
  assert.equal(kept.def.level, 'info');
  assert.equal(kept.def.open, true);
  assert.deepEqual([kept.params.cmd_name, kept.params.status_code], ['EHLO', 250]);
  const strict = parseDovecotBody(body, 'json', ingestContext('dovecot', ['dovecot'], 'reject'));
  assert.equal(strict.ok, false);
  assert.equal(!strict.ok && strict.rejection.reason, 'unknown_event');
  const foreign = parseDovecotBody('{"event":"E_CORE_LOG","fields":{}}', 'json', ctx);
  assert.equal(!foreign.ok && foreign.rejection.reason, 'unknown_event', 'a Dovecot may not raise core events');
});

test('refusals name what was wrong: bad JSON with its byte offset, no name, a wrongly typed field, a bad time', () => {
  const cases: Array<[string, 'json' | 'tab-text', string, RegExp]> = [
    ['{"event":"imap_command_finished",', 'json', 'malformed', /byte \d+/],
    ['{"hostname":"vm"}', 'json', 'not_an_event', /"event"/],
    ['{"event":"imap_command_finished","fields":{"bytes_in":"many"}}', 'json', 'invalid_params', /bytes_in/],
    ['{"event":"imap_command_finished","end_time":"yesterday"}', 'json', 'invalid_time', /end_time/],
    ['event:imap_command_finished\tnonsense', 'tab-text', 'malformed', /byte 28/],
    ['hostname:vm', 'tab-text', 'not_an_event', /event:/],
  ];
  for (const [body, format, reason, message] of cases) {
    const outcome = parseDovecotBody(body, format, ctx);
    assert.equal(outcome.ok, false, body);
    if (!outcome.ok) {
      assert.equal(outcome.rejection.reason, reason, body);
      assert.match(outcome.rejection.message, message, body);
    }
  }
});

test('the Content-Type picks the format', () => {
  assert.equal(dovecotFormatOf('application/json'), 'json');
  assert.equal(dovecotFormatOf('text/plain; charset=utf-8'), 'tab-text');
  assert.equal(dovecotFormatOf('application/octet-stream'), undefined);
  assert.equal(dovecotFormatOf(undefined), undefined);
});
