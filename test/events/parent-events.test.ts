import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { startOperation } from '../../src/bus/operation.js';
import { defineEvent, defineOperation } from '../../src/events/define.js';
import type { HeraldEvent } from '../../src/events/event.js';
import { param } from '../../src/events/params.js';
import { eventToJsonLine } from '../../src/events/serialize-json.js';
import { MetricDefinitionSchema, type MetricDefinition } from '../../src/metrics/definition.js';
import { dumpTable, parseDumpFields } from '../../src/metrics/dump.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { testBus } from '../helpers/bus.js';

/*
 * Dovecot's event tree: a raise names a parent (an event or an operation handle)
 * and the child is seen flattened everywhere: in its record, by filters, by metrics.
 */

const session = defineEvent({
  name: 'test_parent_session', pack: 'test', category: 'test', level: 'info', description: 'A session.',
  params: { user: param.string('Who.'), port: param.port('Where.'), tier: param.string('Which tier.').optional() },
});
const command = defineEvent({
  name: 'test_parent_command', pack: 'test', category: 'test', level: 'info', description: 'A command in a session (closed: no undeclared params of its own).',
  params: { cmd: param.string('The command.'), bytes: param.int('Bytes sent.'), tier: param.string('Overrides the session\'s.').optional() },
});
const transfer = defineOperation({
  name: 'test_parent_transfer', pack: 'test', category: 'test', level: 'info', description: 'A transfer.',
  params: { file: param.string('What.') }, finishedParams: { ok: param.bool('Whether it worked.') },
});

function collected(bus: ReturnType<typeof testBus>): HeraldEvent[] {
  const seen: HeraldEvent[] = [];
  bus.tap((event) => seen.push(event));
  return seen;
}

function paramsOf(event: HeraldEvent): Record<string, unknown> {
  return (JSON.parse(eventToJsonLine(event)) as { params: Record<string, unknown> }).params;
}

test('a child carries its parent\'s params, its own winning; the record stays flat and typed, inherited fields after its own', (t) => {
  const bus = testBus(t);
  const seen = collected(bus);
  bus.raise(session, { user: 'alice', port: 143, tier: 'gold' });
  const parent = seen[0];
  bus.raise(command, { cmd: 'LIST', bytes: 82, tier: 'silver' }, { parent });
  const child = seen[1];
  assert.deepEqual(paramsOf(child), { cmd: 'LIST', bytes: 82, tier: 'silver', user: 'alice', port: 143 });
  assert.deepEqual(Object.keys(paramsOf(child)), ['cmd', 'bytes', 'tier', 'user', 'port'], 'declared params in catalogue order, then inherited ones');
  assert.deepEqual(child.inherited, ['user', 'port']);
  assert.equal(child.summary, undefined);
  bus.raise(command, { cmd: 'NOOP', bytes: 0 });
  assert.equal(seen[2].inherited, undefined, 'no parent: nothing inherited, nothing computed');
  assert.deepEqual(paramsOf(seen[2]), { cmd: 'NOOP', bytes: 0 });
});

test('an empty value removes a field, inherited or not; a chain of parents flattens', (t) => {
  const bus = testBus(t);
  const seen = collected(bus);
  bus.raise(session, { user: 'bob', port: 993, tier: 'gold' });
  bus.raise(command, { cmd: 'SELECT', bytes: 10, tier: '' }, { parent: seen[0] });
  assert.deepEqual(paramsOf(seen[1]), { cmd: 'SELECT', bytes: 10, user: 'bob', port: 993 }, 'tier removed');
  // The grandchild names the child: the child's params are already flat, so it gets the session's too.
  bus.raise(command, { cmd: 'FETCH', bytes: 5 }, { parent: seen[1] });
  assert.deepEqual(paramsOf(seen[2]), { cmd: 'FETCH', bytes: 5, user: 'bob', port: 993 });
});

test('an operation handle is a parent: children inherit its started params; its own parent flows to _finished', (t) => {
  const bus = testBus(t);
  const seen = collected(bus);
  const handle = startOperation(bus, transfer, { file: 'a.txt' }, { parent: { params: { user: 'carol' } } });
  bus.raise(command, { cmd: 'CHUNK', bytes: 512 }, { parent: handle });
  handle.finish({ ok: true });
  const [started, chunk, finished] = seen;
  assert.deepEqual(paramsOf(started), { file: 'a.txt', user: 'carol' });
  assert.deepEqual(paramsOf(chunk), { cmd: 'CHUNK', bytes: 512, file: 'a.txt', user: 'carol' });
  assert.equal(finished.params.user, 'carol');
  assert.equal(finished.params.ok, true);
});

test('filters and metrics see inherited fields: a param filter matches, group_by groups by them', async (t) => {
  const bus = testBus(t);
  const seen: HeraldEvent[] = [];
  bus.observe('event=test_parent_command AND user=alice', (event) => seen.push(event));
  const metrics = new Metrics({ bus });
  const definition = Value.Default(MetricDefinitionSchema, {
    name: 'commands', filter: 'event=test_parent_command', fields: ['bytes'], group_by: ['user', 'port:linear:0:1000:500'],
  }) as MetricDefinition;
  metrics.add(definition);
  const alice = { params: { user: 'alice', port: 143 } };
  const bob = { params: { user: 'bob', port: 993 } };
  bus.raise(command, { cmd: 'A', bytes: 1 }, { parent: alice });
  bus.raise(command, { cmd: 'B', bytes: 2 }, { parent: alice });
  bus.raise(command, { cmd: 'C', bytes: 4 }, { parent: bob });
  bus.raise(command, { cmd: 'D', bytes: 8 });
  assert.deepEqual(seen.map((e) => e.params.cmd), ['A', 'B']);
  const table = dumpTable(metrics.dump(), parseDumpFields('count,sum'));
  const row = (name: string) => table.rows.find((r) => r[0] === name && r[1] === 'bytes')?.slice(2);
  assert.deepEqual(row('commands'), [4, 15]);
  assert.deepEqual(row('commands_alice'), [2, 3]);
  assert.deepEqual(row('commands_alice_port_1_500'), [2, 3]);
  assert.deepEqual(row('commands_bob_port_501_1000'), [1, 4]);
  assert.deepEqual(row('commands_'), [1, 8], 'no parent: the group of the missing value, as in Dovecot');
});
