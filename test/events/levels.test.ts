// Issue 12, point 22: `level>=warn` was a filter syntax error while log.level
// said `warn` and E_CORE_LOG said `WARN`; `err` as an E_CORE_LOG threshold was
// silently taken as info. One vocabulary, with its aliases, everywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { compileFilter, parseFilter } from '../../src/bus/filter/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { LEVELS, parseLevel, parseLoggerLevel, type Level } from '../../src/events/level.js';
import { heraldPinoDestination } from '../../src/process/log-events.js';
import { testBus } from '../helpers/bus.js';
import { collect } from '../process/helpers.js';

test('every alias and case names one level', () => {
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    ['warn', 'warning'], ['WARN', 'warning'], ['Warning', 'warning'], ['err', 'error'], ['ERROR', 'error'],
    ['crit', 'critical'], ['fatal', 'critical'], ['emerg', 'critical'], ['DBG', 'debug'], ['Info', 'info'],
    ['notice', 'notice'], ['verbose', undefined], ['', undefined], ['constructor', undefined],
  ];
  for (const [text, level] of cases) assert.equal(parseLevel(text), level, text);
  for (const level of LEVELS) assert.equal(parseLevel(level), level);
  assert.deepEqual(['warning', 'crit', 'notice', 'silent', 'loud'].map(parseLoggerLevel), ['warn', 'fatal', 'info', 'silent', undefined]);
});

test('filters take the aliases: level>=warn is level>=warning', () => {
  const event = (level: Level) => ({ name: 'E_X', category: 'x', level, params: {} });
  for (const source of ['level>=warn', 'level>=WARNING', 'level>=Warn']) {
    assert.deepEqual(parseFilter(source), parseFilter('level>=warning'), source);
    const filter = compileFilter(source);
    assert.deepEqual((['info', 'warning', 'critical'] as const).map((level) => filter.match(event(level))), [false, true, true], source);
  }
  assert.equal(compileFilter('level=crit').match(event('critical')), true);
  assert.equal(compileFilter('level<err').match(event('notice')), true);
  assert.throws(() => parseFilter('level>=loud'), /warn/, 'the error lists the aliases');
});

test('the config takes any level name for log.level and core_events.log_event_level', () => {
  const config = parseConfigText('log:\n  level: warning\ncore_events:\n  log_event_level: err\n', {}, 'herald.yaml');
  assert.equal(config.log.level, 'warning');
  assert.equal(config.core_events.log_event_level, 'err');
  assert.throws(() => parseConfigText('log:\n  level: loud\n', {}, 'herald.yaml'), /log\.level/);
});

test('E_CORE_LOG thresholds take the aliases (err drops warnings)', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  const logger = pino({ level: 'trace' }, heraldPinoDestination(bus, { level: 'err' }));
  logger.warn('below');
  logger.error('at');
  await store.waitFor(1);
  await bus.drain();
  assert.deepEqual(store.events.map((e) => e.params.message), ['at']);
});
