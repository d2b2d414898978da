import { Value } from '@sinclair/typebox/value';
import { memoryStore } from '../src/backends/memory/index.js';
import { BackendRegistry } from '../src/bus/backend-registry.js';
import { Bus } from '../src/bus/bus.js';
import { registerShippedBackends } from '../src/backends/index.js';
import { E_CORE_THRESHOLD } from '../src/events/packs/core.js';
import { imap_command_finished } from '../src/events/packs/dovecot.js';
import { createDefaultCatalogue } from '../src/events/packs/index.js';
import { MetricDefinitionSchema, type MetricDefinition } from '../src/metrics/definition.js';
import { Metrics } from '../src/metrics/metrics.js';
import { nsPerOp, nsPerOpAsync, round } from './measure.js';
import type { BenchOptions, BenchReport } from './report.js';

/** The machine is shared: each figure is its least disturbed round of ROUNDS. */
const ROUNDS = 11;
const THRESHOLD = { source: 'dns', time: 1500, extra: '' } as const;
const NAMES = ['SELECT', 'FETCH', 'LIST', 'IDLE', 'UID FETCH', 'STATUS', 'NOOP', 'LOGOUT'];

/** Ten metrics on imap_command_finished, each with group_by, as an operator would define them. */
const DEFINITIONS: ReadonlyArray<Pick<MetricDefinition, 'name' | 'filter'> & Partial<MetricDefinition>> = [
  { name: 'imap_by_name', group_by: ['name'] },
  { name: 'imap_by_name_running', group_by: ['name', 'running_usecs:exponential:1:6:10'], fields: ['bytes_out'] },
  { name: 'imap_by_state', group_by: ['tagged_reply_state'] },
  { name: 'imap_by_state_name', group_by: ['tagged_reply_state', 'name'] },
  { name: 'imap_bytes_out', group_by: ['bytes_out:linear:0:4000:500'], fields: ['bytes_in'] },
  { name: 'imap_lock_wait', group_by: ['lock_wait_usecs:exponential:0:5:10'] },
  { name: 'imap_running', group_by: ['running_usecs:exponential:0:6:2'], fields: ['running_usecs'] },
  { name: 'imap_by_tag', group_by: ['name', 'tagged_reply_state'], fields: ['bytes_in', 'bytes_out'] },
  { name: 'imap_select_only', group_by: ['tagged_reply_state'], fields: ['running_usecs'] },
  { name: 'imap_ok_bytes', group_by: ['name'], fields: ['bytes_out'] },
].map((partial) => ({ filter: partial.name === 'imap_select_only' ? 'event=imap_command_finished AND name=SELECT' : 'event=imap_command_finished', ...partial }));

function events(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    tag: `A${i}`, name: NAMES[i % NAMES.length], args: '', human_args: '', tagged_reply_state: i % 17 === 0 ? 'NO' : 'OK',
    tagged_reply: 'OK done', last_run_time: 1_795_316_933, running_usecs: 20 + ((i * 7919) % 90_000), lock_wait_usecs: i % 50,
    bytes_in: 20 + (i % 40), bytes_out: (i * 131) % 5000,
  }));
}

function newBus(): Bus {
  return new Bus({ catalogue: createDefaultCatalogue(), backends: registerShippedBackends(new BackendRegistry()) });
}

/**
 * raise() into 10 user metrics with group_by, beside raise() into one memory:
 * subscriber (delivery included) in the same run; and a raise no metric matches
 * while the metrics exist, beside a raise nobody listens to.
 */
export async function run(_options: BenchOptions): Promise<BenchReport> {
  const params = events(4096);
  const mask = params.length - 1;

  const subscribed = newBus();
  await subscribed.subscribe('memory:bench-metrics', { event: 'imap_command_finished' });
  const store = memoryStore('bench-metrics');
  const oneSubscriber = await nsPerOpAsync(200_000, async (n) => {
    for (let i = 0; i < n; i += 1000) {
      for (let j = 0; j < 1000; j++) subscribed.raise(imap_command_finished, params[(i + j) & mask]);
      await subscribed.drain();
      store.clear();
    }
  }, ROUNDS, 'min');
  await subscribed.close();

  const bus = newBus();
  const cold = nsPerOp(10_000_000, (n) => { for (let i = 0; i < n; i++) bus.raise(E_CORE_THRESHOLD, THRESHOLD); }, ROUNDS, 'min');
  const metrics = new Metrics({ bus });
  for (const definition of DEFINITIONS) metrics.add(Value.Default(MetricDefinitionSchema, { ...definition }) as MetricDefinition);
  // Every dump folds the batch first, so the figure includes all the aggregation, not only the copy into the batch.
  const tenMetrics = nsPerOp(200_000, (n) => {
    for (let i = 0; i < n; i++) bus.raise(imap_command_finished, params[i & mask]);
    metrics.sweep();
  }, ROUNDS, 'min');
  const unmatched = nsPerOp(10_000_000, (n) => { for (let i = 0; i < n; i++) bus.raise(E_CORE_THRESHOLD, THRESHOLD); }, ROUNDS, 'min');
  const groups = metrics.list().reduce((total, metric) => total + metric.groups, 0);
  metrics.close();
  await bus.close();
  return {
    suite: 'metrics',
    results: [
      { name: 'raise() into one memory: subscriber, delivered (anchor)', value: round(oneSubscriber), unit: 'ns/op' },
      { name: 'raise() into 10 metrics with group_by', value: round(tenMetrics), unit: 'ns/op', anchor: 'one delivered subscriber', ratio: round(tenMetrics / oneSubscriber) },
      { name: 'raise() nobody listens to', value: round(cold), unit: 'ns/op' },
      { name: 'raise() no metric matches, 10 metrics defined', value: round(unmatched), unit: 'ns/op', anchor: 'nobody listens', ratio: round(unmatched / cold) },
    ],
    notes: [`Aim: 10 metrics cost less than one delivered subscriber (ratio < 1). ${groups} groups alive at the end.`],
  };
}
