import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { HeraldEvent } from '../../src/events/event.js';
import { memoryStore } from '../../src/backends/memory/index.js';
import { silentLogger } from '../../src/log/logger.js';
import { startDaemon, type Daemon } from '../../src/serve/serve.js';
import { uniqueMemorySocket } from '../helpers/bus.js';

/*
 * `herald serve` in-process for the ingest source tests: only the sources a test names run,
 * so what lands and what the counters say comes from them alone.
 */

/** A config (in `dir`) with MI, the collectors, tracing and core events off, and `ingest` as given. */
export function sourcesOnlyConfig(dir: string, ingest: Record<string, unknown>): Record<string, unknown> {
  return {
    data_dir: join(dir, 'data'),
    log: { level: 'silent' },
    mi: { enabled: false },
    hep: { enabled: false },
    sip: { enabled: false },
    trace: { enabled: false },
    core_events: { enabled: false },
    ingest,
  };
}

export interface SourcesDaemon {
  readonly daemon: Daemon;
  /** What the memory subscriber received, in order. */
  readonly seen: readonly HeraldEvent[];
  /** Stops the daemon (once; it is stopped after the test anyway). */
  stop(): Promise<void>;
}

/**
 * Writes `sourcesOnlyConfig` to `dir`/herald.yaml with one memory subscriber (`filter`, socket named after `name`)
 * and starts the daemon; stopped after the test.
 */
export async function startSourcesDaemon(
  t: TestContext, dir: string, options: { readonly name: string; readonly filter: string; readonly ingest: Record<string, unknown> },
): Promise<SourcesDaemon> {
  const socket = uniqueMemorySocket(options.name);
  const configPath = join(dir, 'herald.yaml');
  await writeFile(configPath, JSON.stringify({
    ...sourcesOnlyConfig(dir, options.ingest),
    // Set up before any source starts, so no event is missed.
    subscribers: [{ socket, filter: options.filter }],
    // Tests read their subscriber through memory:NAME, which a daemon refuses unless asked.
    delivery: { memory_transport: true },
  }));
  const daemon = await startDaemon({ configPath, env: {}, announce: () => undefined, logger: silentLogger() });
  const seen: readonly HeraldEvent[] = memoryStore(socket.slice('memory:'.length)).events;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await daemon.stop();
  };
  t.after(stop);
  return { daemon, seen, stop };
}
