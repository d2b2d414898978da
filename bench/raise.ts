import { pino } from 'pino';
import { memoryStore } from '../src/backends/memory/index.js';
import { BackendRegistry } from '../src/bus/backend-registry.js';
import { Bus } from '../src/bus/bus.js';
import { registerShippedBackends } from '../src/backends/index.js';
import { E_CORE_LOG, E_CORE_THRESHOLD } from '../src/events/packs/core.js';
import { createDefaultCatalogue } from '../src/events/packs/index.js';
import { nsPerOp, nsPerOpAsync, round } from './measure.js';
import type { BenchOptions, BenchReport } from './report.js';

const PARAMS = { source: 'dns', time: 1500, extra: 'example.org' } as const;

/**
 * raise() with nobody listening (target ≤ 10 ns/op) beside an empty loop calling a
 * no-op, and pino's disabled-level call (its "costs nothing" path); then raise()
 * into one memory: subscriber, delivery included.
 */
export async function run(_options: BenchOptions): Promise<BenchReport> {
  const bus = new Bus({ catalogue: createDefaultCatalogue(), backends: registerShippedBackends(new BackendRegistry()) });
  const iterations = 20_000_000;
  let sink = 0;
  const noop = (_def: unknown, params: { time: number }) => { sink += params.time & 1; };
  const emptyLoop = nsPerOp(iterations, (n) => { for (let i = 0; i < n; i++) noop(E_CORE_THRESHOLD, PARAMS); });
  const logger = pino({ level: 'info' }, pino.destination('/dev/null'));
  const pinoDisabled = nsPerOp(iterations, (n) => { for (let i = 0; i < n; i++) logger.debug(PARAMS, 'slow'); });
  const unheard = nsPerOp(iterations, (n) => { for (let i = 0; i < n; i++) bus.raise(E_CORE_THRESHOLD, PARAMS); });

  await bus.subscribe('memory:bench-raise', { event: 'E_CORE_LOG' });
  const store = memoryStore('bench-raise');
  const log = { time: '2026-11-22T05:21:46.315Z', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'hello' };
  const oneSubscriber = await nsPerOpAsync(200_000, async (n) => {
    for (let i = 0; i < n; i += 1000) {
      for (let j = 0; j < 1000; j++) bus.raise(E_CORE_LOG, log);
      await bus.drain();
      store.clear();
    }
  });
  await bus.close();
  if (sink < 0) console.log(sink);
  return {
    suite: 'raise',
    results: [
      { name: 'empty loop calling a no-op (baseline)', value: round(emptyLoop), unit: 'ns/op' },
      { name: 'pino logger.debug() at level info (disabled)', value: round(pinoDisabled), unit: 'ns/op' },
      { name: 'raise() with no listener', value: round(unheard), unit: 'ns/op', anchor: 'pino disabled level', ratio: round(unheard / pinoDisabled) },
      { name: 'raise() into one memory: subscriber, delivered', value: round(oneSubscriber), unit: 'ns/op' },
      { name: 'raise() into one memory: subscriber, delivered', value: Math.round(1e9 / oneSubscriber), unit: 'events/s' },
    ],
    notes: ['Target: raise() with no listener ≤ 10 ns/op.'],
  };
}
