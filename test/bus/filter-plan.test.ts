// The bus decides once per event definition which filter subscriptions can
// match it (by name, category and level) and skips the rest. These tests check
// that shortcut against the filter itself: every subscriber must receive
// exactly the raises its compiled filter matches, level overrides included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { compileFilter } from '../../src/bus/filter/index.js';
import { Catalogue } from '../../src/events/catalogue.js';
import { defineEvent, type EventDef } from '../../src/events/define.js';
import type { Level } from '../../src/events/level.js';
import { param } from '../../src/events/params.js';
import { E_CORE_LOG, E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';
import { seededRandom } from '../helpers/random.js';
import { LEVELS, randomFilter } from '../helpers/random-filter.js';

const shape = { n: param.int('a number'), s: param.string('a string') };
const DEFS = [
  defineEvent({ name: 'PLAN_ALPHA_START', pack: 'plan', category: 'alpha', level: 'debug', description: 'x', params: shape }),
  defineEvent({ name: 'PLAN_ALPHA_STOP', pack: 'plan', category: 'alpha', level: 'info', description: 'x', params: shape }),
  defineEvent({ name: 'PLAN_BETA_START', pack: 'plan', category: 'beta', level: 'warning', description: 'x', params: shape }),
  defineEvent({ name: 'plan_gamma', pack: 'plan', category: 'gamma', level: 'error', description: 'x', params: shape }),
] as const;


interface Raise {
  readonly def: EventDef;
  readonly params: { n: number; s: string };
  readonly level: Level | undefined;
}

test('every subscriber gets exactly the raises its filter matches (400 random filters, level overrides included)', async (t) => {
  const bus = testBus(t, { catalogue: new Catalogue(DEFS) });
  const next = seededRandom(20261130);
  const subscribers: Array<{ filter: string; store: ReturnType<typeof memoryStore> }> = [];
  for (let i = 0; i < 400; i++) {
    const filter = randomFilter(next);
    const socket = uniqueMemorySocket('plan');
    await bus.subscribe(socket, { filter });
    subscribers.push({ filter, store: memoryStore(socket.slice('memory:'.length)) });
  }
  const raises: Raise[] = [];
  for (let i = 0; i < 300; i++) {
    const def = DEFS[Math.floor(next() * DEFS.length)];
    const params = { n: Math.floor(next() * 10), s: ['abz', 'b', 'zz', 'a'][Math.floor(next() * 4)] };
    const level = next() < 0.4 ? LEVELS[Math.floor(next() * LEVELS.length)] : undefined;
    raises.push({ def, params, level });
    bus.raise(def as EventDef<string, typeof shape>, params, { level, sourceId: String(i) });
  }
  await bus.drain();
  for (const { filter, store } of subscribers) {
    const compiled = compileFilter(filter);
    const expected = raises.flatMap((r, i) => (compiled.match({ name: r.def.name, category: r.def.category, level: r.level ?? r.def.level, params: r.params }) ? [String(i)] : []));
    assert.deepEqual(store.events.map((e) => e.sourceId), expected, `filter ${filter}`);
  }
});

test('enabled() follows what filters can match: names and categories decide once, a level test keeps every event possible', async (t) => {
  const bus = testBus(t);
  await bus.subscribe(uniqueMemorySocket('plan-name'), { filter: 'event=E_CORE_LOG OR category=ovenmediaengine_nothing' });
  assert.equal(bus.enabled(E_CORE_LOG), true);
  assert.equal(bus.enabled(E_CORE_THRESHOLD), false, 'a filter that names other events does not make this one hot');
  await bus.subscribe(uniqueMemorySocket('plan-level'), { filter: 'level>=critical' });
  assert.equal(bus.enabled(E_CORE_THRESHOLD), true, 'any raise may override its level, so a level test keeps it possible');
  const store = memoryStore('plan-level-probe');
  await bus.subscribe('memory:plan-level-probe', { filter: 'level>=critical AND event=E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 1, extra: 'at its own level: warning' });
  bus.raise(E_CORE_THRESHOLD, { source: 's', time: 2, extra: 'overridden' }, { level: 'critical' });
  await bus.drain();
  assert.deepEqual(store.events.map((e) => e.params.time), [2]);
  // Only the second raise could reach anyone: the first was skipped before an event was built.
  assert.equal(bus.statistics().events.E_CORE_THRESHOLD?.raised, 1);
});
