import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/*
 * Loaded into the daemon by `npm run bench -- ingest` (node --import): measures how long
 * the main thread's event loop was held up, which is how long the sockets went unread.
 * SIGUSR2 starts a new measurement; at exit the histogram (ms) goes to HERALD_BENCH_LOOP_FILE.
 */
const file = process.env.HERALD_BENCH_LOOP_FILE;
if (file !== undefined && file !== '') {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  process.on('SIGUSR2', () => histogram.reset());
  process.on('exit', () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    writeFileSync(file, JSON.stringify({ maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), p50Ms: ms(histogram.percentile(50)) }));
  });
}
