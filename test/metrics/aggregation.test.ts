import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imap_command_finished } from '../../src/events/packs/dovecot.js';
import { E_CORE_LOG } from '../../src/events/packs/core.js';
import { MetricDefinitionSchema, type MetricDefinition } from '../../src/metrics/definition.js';
import { dumpTable, formatTsv, parseDumpFields } from '../../src/metrics/dump.js';
import { bucketOf, parseGroupBy } from '../../src/metrics/group-by.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { Value } from '@sinclair/typebox/value';
import { testBus } from '../helpers/bus.js';

function definition(partial: Partial<MetricDefinition> & Pick<MetricDefinition, 'name' | 'filter'>): MetricDefinition {
  return Value.Default(MetricDefinitionSchema, { ...partial }) as MetricDefinition;
}

const BASE = {
  tag: 'A1', args: '', human_args: '', tagged_reply_state: 'OK', tagged_reply: 'OK done', last_run_time: 1, lock_wait_usecs: 0, bytes_in: 5,
};

function command(name: string, runningUsecs: number, bytesOut: number) {
  return { ...BASE, name, running_usecs: runningUsecs, bytes_out: bytesOut };
}

test('quantized buckets follow Dovecot: (low, high], names ninf/low+1/inf', () => {
  const exp = parseGroupBy('duration:exponential:1:3:10', 'g');
  assert.equal(exp.kind, 'quantized');
  if (exp.kind !== 'quantized') return;
  assert.deepEqual(exp.labels, ['duration_ninf_10', 'duration_11_100', 'duration_101_1000', 'duration_1001_inf']);
  assert.deepEqual([5, 10, 11, 100, 101, 1000, 1001, 1e9].map((v) => bucketOf(exp, v)), [0, 0, 1, 1, 2, 2, 3, 3]);
  const lin = parseGroupBy('bytes:linear:0:100:50', 'g');
  assert.equal(lin.kind === 'quantized' && lin.labels.join(' '), 'bytes_ninf_0 bytes_1_50 bytes_51_100 bytes_101_inf');
  for (const [token, why] of [
    ['duration:exponential:1:3:3', /base must be 2 or 10/], ['x:linear:0:10:3', /multiple of the step/], ['x:cubic:1:2:3', /unknown method/],
    ['1x', /field name/], ['x:linear:a:10:1', /"a" is not an integer/], ['x:exponential:3:1:10', /min must be less than max/],
  ] as const) {
    assert.throws(() => parseGroupBy(token, 'metrics.definitions[0].group_by[1]'), (e: Error) => why.test(e.message) && e.message.includes('group_by[1]'));
  }
});

test('imap_command_finished by name and quantized running_usecs: dump numbers match the raised events', async (t) => {
  const bus = testBus(t);
  const metrics = new Metrics({ bus });
  metrics.add(definition({
    name: 'imap_command', filter: 'event=imap_command_finished', fields: ['bytes_out'],
    group_by: ['name', 'running_usecs:exponential:1:3:10'],
  }));
  const raised = [command('SELECT', 50, 300), command('SELECT', 500, 100), command('LIST', 5, 40), command('SELECT', 70, 200)];
  for (const params of raised) bus.raise(imap_command_finished, params);
  bus.raise(E_CORE_LOG, { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'not counted' });

  const table = dumpTable(metrics.dump(), parseDumpFields('count,sum,min,max,avg'));
  const row = (name: string, field: string) => table.rows.find((r) => r[0] === name && r[1] === field)?.slice(2);
  assert.deepEqual(table.columns, ['metric_name', 'field', 'count', 'sum', 'min', 'max', 'avg']);
  // duration: imap_command_finished carries none, so it counts events with 0, as Dovecot's instant events do.
  assert.deepEqual(row('imap_command', 'duration'), [4, 0, 0, 0, 0]);
  assert.deepEqual(row('imap_command', 'bytes_out'), [4, 640, 40, 300, 160]);
  assert.deepEqual(row('imap_command', 'running_usecs'), [4, 625, 5, 500, 156.25]);
  assert.deepEqual(row('imap_command_SELECT', 'bytes_out'), [3, 600, 100, 300, 200]);
  assert.deepEqual(row('imap_command_SELECT_running_usecs_11_100', 'running_usecs'), [2, 120, 50, 70, 60]);
  assert.deepEqual(row('imap_command_SELECT_running_usecs_101_1000', 'bytes_out'), [1, 100, 100, 100, 100]);
  assert.deepEqual(row('imap_command_LIST_running_usecs_ninf_10', 'running_usecs'), [1, 5, 5, 5, 5]);
  assert.equal(formatTsv(table).split('\n')[0], 'metric_name\tfield\tcount\tsum\tmin\tmax\tavg');

  const reset = dumpTable(metrics.dump(true));
  assert.equal(reset.rows.find((r) => r[0] === 'imap_command' && r[1] === 'duration')?.[2], 4);
  assert.equal(dumpTable(metrics.dump()).rows.find((r) => r[0] === 'imap_command')?.[2], 0, 'reset zeroes the counters');
});

test('cardinality limit: new groups beyond it are counted in the parent, not created', async (t) => {
  const bus = testBus(t);
  const metrics = new Metrics({ bus });
  const metric = metrics.add(definition({ name: 'cmds', filter: 'event=imap_command_finished', group_by: ['name'], max_groups: 3 }));
  for (const name of ['A', 'B', 'C', 'D', 'A']) bus.raise(imap_command_finished, command(name, 1, 1));
  const rows = dumpTable(metrics.dump()).rows.map((r) => [r[0], r[2]]);
  assert.deepEqual(rows, [['cmds', 5], ['cmds_A', 2], ['cmds_B', 1]]);
  assert.equal(metric.groups, 3);
  assert.equal(metric.overflowed, 2);
});

test('idle groups are freed and their numbers stay in the parent', async (t) => {
  let now = 1_000;
  const bus = testBus(t);
  const metrics = new Metrics({ bus, now: () => now });
  const metric = metrics.add(definition({ name: 'cmds', filter: 'event=imap_command_finished', group_by: ['name'], idle_expire_ms: 100 }));
  bus.raise(imap_command_finished, command('OLD', 1, 1));
  now += 100;
  metrics.sweep();
  bus.raise(imap_command_finished, command('NEW', 1, 1));
  now += 100;
  metrics.sweep();
  const rows = dumpTable(metrics.dump()).rows.filter((r) => r[1] === 'duration').map((r) => [r[0], r[2]]);
  assert.deepEqual(rows, [['cmds', 2], ['cmds_NEW', 1]]);
  assert.equal(metric.groups, 2);
});

test('a metric that no longer exists is not fed; a bad filter names the key', async (t) => {
  const bus = testBus(t);
  const metrics = new Metrics({ bus });
  metrics.add(definition({ name: 'm', filter: 'event=imap_command_finished' }));
  assert.equal(bus.enabled(imap_command_finished), true);
  assert.equal(bus.enabled(E_CORE_LOG), false, 'a raise no metric can match stays cold');
  assert.equal(metrics.remove('m'), true);
  assert.equal(bus.enabled(imap_command_finished), false);
  assert.throws(() => metrics.add(definition({ name: 'x', filter: 'event=(' }), 'metrics.definitions[3]'), /metrics\.definitions\[3\]\.filter/);
  metrics.add(definition({ name: 'y', filter: 'event=*' }));
  assert.throws(() => metrics.add(definition({ name: 'y', filter: 'event=*' })), /already exists/);
});
