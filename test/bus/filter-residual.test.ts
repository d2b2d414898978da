// CompiledFilter.residual(view) drops the tests a definition's static view decides
// (metrics test only what is left per raise). Checked against match() itself on
// random filters, raises at the definition's level and at other levels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileFilter, Verdict, type FilterableEvent, type StaticEventView } from '../../src/bus/filter/index.js';
import { seededRandom } from '../helpers/random.js';
import { LEVELS, randomFilter } from '../helpers/random-filter.js';

const DEFS = [
  { name: 'PLAN_ALPHA_START', category: 'alpha', level: 'debug' },
  { name: 'PLAN_ALPHA_STOP', category: 'alpha', level: 'info' },
  { name: 'PLAN_BETA_START', category: 'beta', level: 'warning' },
  { name: 'plan_gamma', category: 'gamma', level: 'error' },
] as const;

test('residual(view) answers as match() on every raise the view describes (2,000 random filters)', () => {
  const next = seededRandom(20261206);
  let narrowed = 0;
  for (let i = 0; i < 2000; i++) {
    const source = randomFilter(next);
    const filter = compileFilter(source);
    for (const def of DEFS) {
      for (const ownLevel of [true, false]) {
        const view: StaticEventView = { name: def.name, category: def.category, level: ownLevel ? def.level : undefined };
        const residual = filter.residual(view);
        if (filter.verdict(view) === Verdict.Depends && residual !== filter.match) narrowed++;
        for (let k = 0; k < 6; k++) {
          const level = ownLevel ? def.level : LEVELS[Math.floor(next() * LEVELS.length)];
          const event: FilterableEvent = { name: def.name, category: def.category, level, params: { n: Math.floor(next() * 10), s: ['a', 'ab', 'b', 'xz', ''][k % 5] } };
          assert.equal(residual(event), filter.match(event), `${source} on ${def.name} at ${level}`);
        }
      }
    }
  }
  assert.ok(narrowed > 100, `residuals narrower than match were made (${narrowed})`);
});

test('the event name test goes; the param test stays', () => {
  const filter = compileFilter('event=imap_command_finished AND name=SELECT');
  const residual = filter.residual({ name: 'imap_command_finished', category: 'imap', level: 'info' });
  // The residual no longer looks at the name: an event it is handed is known to be imap_command_finished.
  assert.equal(residual({ name: 'other', category: 'x', level: 'info', params: { name: 'select' } }), true);
  assert.equal(residual({ name: 'other', category: 'x', level: 'info', params: { name: 'LIST' } }), false);
  assert.equal(filter.residual({ name: 'other', category: 'x', level: 'info' })({ name: 'other', category: 'x', level: 'info', params: { name: 'SELECT' } }), false);
});
