import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { defineEvent } from '../../src/events/define.js';
import { param } from '../../src/events/params.js';
import { imap_command_finished } from '../../src/events/packs/dovecot.js';
import { MetricDefinitionSchema, type MetricDefinition } from '../../src/metrics/definition.js';
import { createProcessRegistry, exposition } from '../../src/metrics/exposition.js';
import { busFamilies, ingestFamilies } from '../../src/metrics/herald-families.js';
import { userMetricFamilies } from '../../src/metrics/metric-families.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

const TAGGED = defineEvent({
  name: 'E_TEST_METRICS_TAGGED', pack: 'test', category: 'test', level: 'info', description: 'An event with a string list.',
  params: { tags: param.stringList('tags'), size: param.int('bytes'), duration: param.duration('µs') },
});

function definition(partial: Partial<MetricDefinition> & Pick<MetricDefinition, 'name' | 'filter'>): MetricDefinition {
  return Value.Default(MetricDefinitionSchema, { ...partial }) as MetricDefinition;
}

function command(name: string, runningUsecs: number) {
  return {
    tag: 'A1', name, args: '', human_args: '', tagged_reply_state: 'OK', tagged_reply: 'OK', last_run_time: 1,
    running_usecs: runningUsecs, lock_wait_usecs: 0, bytes_in: 5, bytes_out: 10,
  };
}

/** promtool from the Debian package `prometheus`; skips (or fails under HERALD_REQUIRE_SERVICES=1) when missing. */
function promtool(t: TestContext, text: string): { status: number | null; output: string } | undefined {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) {
    const reason = 'promtool not installed (Debian package prometheus)';
    if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error(`${reason} (HERALD_REQUIRE_SERVICES=1)`);
    t.skip(reason);
    return undefined;
  }
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function everyKind(t: TestContext) {
  const bus = testBus(t);
  const metrics = new Metrics({ bus });
  metrics.add(definition({ name: 'imap_plain', filter: 'event=imap_command_finished', description: 'Every IMAP command.' }));
  metrics.add(definition({ name: 'imap_command', filter: 'event=imap_command_finished', fields: ['bytes_out'], group_by: ['name', 'running_usecs:exponential:1:3:10'] }));
  metrics.add(definition({ name: 'imap_by_bucket', filter: 'event=imap_command_finished', group_by: ['running_usecs:linear:0:100:50', 'name'] }));
  metrics.add(definition({ name: 'tagged', filter: 'event=E_TEST_METRICS_TAGGED', fields: ['size'], group_by: ['tags', 'duration:exponential:0:4:10'] }));
  metrics.add(definition({ name: 'tiny', filter: 'event=imap_command_finished', group_by: ['name'], max_groups: 2 }));
  await bus.subscribe(uniqueMemorySocket('metrics-exposition'), { event: 'imap_command_finished' });
  for (const [name, usecs] of [['SELECT', 50], ['SELECT', 500], ['LIST', 5], ['FETCH', 70]] as const) bus.raise(imap_command_finished, command(name, usecs));
  bus.raise(TAGGED, { tags: ['a', 'b', 'a'], size: 10, duration: 2000 });
  bus.raise(TAGGED, { tags: ['b'], size: 5, duration: 20 });
  await bus.drain();
  const families = [...busFamilies(bus.statistics()), ...ingestFamilies({ hep: { packets: 3, kernel_drops: 0 } }), ...userMetricFamilies(metrics.dump())];
  return exposition(createProcessRegistry(), families);
}

function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

test('the exposition numbers match the raised events', async (t) => {
  const text = await everyKind(t);
  assert.equal(sample(text, 'herald_imap_plain_total'), 4);
  assert.equal(sample(text, 'herald_imap_plain_duration_seconds_total'), 0);
  assert.equal(sample(text, 'herald_imap_command_total{name="SELECT"}'), 2);
  assert.equal(sample(text, 'herald_imap_command_bytes_out_total{name="SELECT"}'), 20);
  assert.equal(sample(text, 'herald_imap_command_running_usecs_bucket{name="SELECT",le="10"}'), 0);
  assert.equal(sample(text, 'herald_imap_command_running_usecs_bucket{name="SELECT",le="100"}'), 1);
  assert.equal(sample(text, 'herald_imap_command_running_usecs_bucket{name="SELECT",le="+Inf"}'), 2);
  assert.equal(sample(text, 'herald_imap_command_running_usecs_sum{name="SELECT"}'), 550);
  assert.equal(sample(text, 'herald_imap_by_bucket_total{running_usecs="running_usecs_51_100",name="FETCH"}'), 1);
  // A string list groups on each distinct member; the metric still counts each event once.
  assert.equal(sample(text, 'herald_tagged_duration_seconds_bucket{tags="a",le="0.01"}'), 1);
  assert.equal(sample(text, 'herald_tagged_duration_seconds_count{tags="b"}'), 2);
  assert.equal(sample(text, 'herald_tagged_size_total{tags="b"}'), 15);
  assert.equal(sample(text, 'herald_metric_groups{metric="tiny"}'), 2);
  assert.equal(sample(text, 'herald_metric_groups_overflowed_total{metric="tiny"}'), 2);
  assert.equal(sample(text, 'herald_tiny_total'), 2, 'events beyond max_groups stay in the metric itself');
  assert.equal(sample(text, 'herald_imap_command_total'), undefined, 'a grouped metric has no series of its own while every event found a group');
  assert.equal(sample(text, 'herald_events_raised_total{event="imap_command_finished"}'), 4);
  assert.match(text, /^herald_subscriber_delivered_total\{socket="memory:[^"]+",target="imap_command_finished"\} 4$/m);
  assert.equal(sample(text, 'herald_ingest{source="hep",counter="packets"}'), 3);
  assert.match(text, /^process_cpu_user_seconds_total /m);
});

test('promtool check metrics accepts an exposition with every kind of metric', async (t) => {
  const text = await everyKind(t);
  const checked = promtool(t, text);
  if (checked === undefined) return;
  assert.equal(checked.status, 0, checked.output);
});
