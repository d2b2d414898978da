import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { imap_command_finished } from '../../src/events/packs/dovecot.js';
import { MetricDefinitionSchema, type MetricDefinition } from '../../src/metrics/definition.js';
import { dumpTable } from '../../src/metrics/dump.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { MAX_INTERNED } from '../../src/metrics/raise-batch.js';
import { testBus } from '../helpers/bus.js';

// Discrete group_by values are numbered once per batch so that group trees find children by index
// (src/metrics/raise-batch.ts); these check that the index never changes a number the dump shows.

function definition(partial: Partial<MetricDefinition> & Pick<MetricDefinition, 'name' | 'filter'>): MetricDefinition {
  return Value.Default(MetricDefinitionSchema, { ...partial }) as MetricDefinition;
}

const BASE = { tag: 'A1', args: '', human_args: '', tagged_reply_state: 'OK', tagged_reply: 'OK done', last_run_time: 1, lock_wait_usecs: 0, bytes_in: 5, running_usecs: 1 };

function counts(metrics: Metrics, metric: string): Map<string, number> {
  const rows = dumpTable(metrics.dump()).rows.filter((r) => r[1] === 'duration' && String(r[0]).startsWith(metric));
  return new Map(rows.map((r) => [String(r[0]), Number(r[2])]));
}

test('more distinct values than are numbered: the rest are grouped by value, every count right', (t) => {
  const bus = testBus(t);
  const metrics = new Metrics({ bus });
  metrics.add(definition({ name: 'cmds', filter: 'event=imap_command_finished', group_by: ['name'], max_groups: 10_000 }));
  const distinct = MAX_INTERNED + 300;
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < distinct; i++) bus.raise(imap_command_finished, { ...BASE, name: `N${i}`, bytes_out: i });
  }
  const seen = counts(metrics, 'cmds');
  assert.equal(seen.get('cmds'), 2 * distinct);
  assert.equal(seen.size, distinct + 1);
  for (const i of [0, 1, MAX_INTERNED - 1, MAX_INTERNED, distinct - 1]) assert.equal(seen.get(`cmds_N${i}`), 2, `N${i}`);
});

test('a metric added later, groups swept and a reset keep finding the right groups', (t) => {
  let now = 1_000;
  const bus = testBus(t);
  const metrics = new Metrics({ bus, now: () => now });
  metrics.add(definition({ name: 'by_name', filter: 'event=imap_command_finished', group_by: ['name', 'tagged_reply_state'], idle_expire_ms: 100 }));
  const raise = (name: string, state: string) => bus.raise(imap_command_finished, { ...BASE, name, tagged_reply_state: state, bytes_out: 1 });
  raise('SELECT', 'OK');
  raise('LIST', 'NO');
  // A new metric lays the batch out anew; the first one's children were indexed under the old layout.
  metrics.add(definition({ name: 'by_state', filter: 'event=imap_command_finished', group_by: ['tagged_reply_state'] }));
  raise('LIST', 'NO');
  raise('SELECT', 'OK');
  assert.deepEqual(counts(metrics, 'by_name'), new Map([
    ['by_name', 4], ['by_name_SELECT', 2], ['by_name_SELECT_OK', 2], ['by_name_LIST', 2], ['by_name_LIST_NO', 2],
  ]));
  assert.deepEqual(counts(metrics, 'by_state'), new Map([['by_state', 2], ['by_state_NO', 1], ['by_state_OK', 1]]));
  // SELECT goes idle and is freed; LIST stays. A freed value seen again gets a new group, not the old one's index.
  now += 100;
  metrics.sweep();
  raise('LIST', 'NO');
  now += 100;
  metrics.sweep();
  raise('SELECT', 'NO');
  assert.deepEqual(counts(metrics, 'by_name'), new Map([['by_name', 6], ['by_name_LIST', 3], ['by_name_LIST_NO', 3], ['by_name_SELECT', 1], ['by_name_SELECT_NO', 1]]));
  metrics.dump(true);
  raise('SELECT', 'OK');
  assert.deepEqual(counts(metrics, 'by_name'), new Map([['by_name', 1], ['by_name_SELECT', 1], ['by_name_SELECT_OK', 1]]));
});

test('a missing value is the "" group beside numbered ones', (t) => {
  const bus = testBus(t);
  const metrics = new Metrics({ bus });
  metrics.add(definition({ name: 'mixed', filter: 'event=imap_command_finished', group_by: ['name'] }));
  bus.raise(imap_command_finished, { ...BASE, name: 'SELECT', bytes_out: 1 });
  bus.raise(imap_command_finished, { ...BASE, name: 'SELECT', bytes_out: 1 });
  const { name: _dropped, ...noName } = { ...BASE, name: '' };
  bus.raise(imap_command_finished, { ...noName, bytes_out: 1 } as typeof BASE & { name: string; bytes_out: number });
  const seen = counts(metrics, 'mixed');
  assert.equal(seen.get('mixed'), 3);
  assert.equal(seen.get('mixed_SELECT'), 2);
  assert.equal(seen.get('mixed_'), 1, 'a missing value is the "" group, as in Dovecot');
});
