import { closeSync, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { pino } from 'pino';
import { createFlatstoreFactory } from '../src/backends/flatstore/index.js';
import { createJsonlFactory } from '../src/backends/jsonl/index.js';
import { BackendRegistry } from '../src/bus/backend-registry.js';
import { Bus } from '../src/bus/bus.js';
import { Catalogue } from '../src/events/catalogue.js';
import { defineEvent } from '../src/events/define.js';
import { param } from '../src/events/params.js';

/*
 * The five writers the `files` suite compares, each writing N copies of one
 * OvenMediaEngine-style StreamCreated event to a file. Each runs in its own child
 * process (see files.ts) so peak RSS and JIT state are its own.
 */

export const CASES = ['raw', 'pino-sync', 'pino-async', 'herald-jsonl', 'herald-flatstore'] as const;
export type CaseName = (typeof CASES)[number];

const StreamCreated = defineEvent({
  name: 'StreamCreated',
  pack: 'bench',
  category: 'StreamEvent',
  level: 'info',
  description: 'Bench event: a stream was created.',
  params: {
    id: param.int('Stream id.'),
    stream_type: param.string('Provider type.'),
  },
  summary: 'Stream created. Id: {id}, StreamType: {stream_type}',
});

const SOURCE_ID = '#default#app/stream';
const TYPE = 'Rtmp';
/** Raises per event-loop turn: a busy server's burst; the bus batches them. */
const CHUNK = 2048;

function isoNow(): string {
  return new Date().toISOString().replace('Z', '+00:00');
}

/** The record every writer produces, as a plain object (for JSON.stringify and pino). */
function record(i: number) {
  return {
    time: isoNow(), level: 'info', category: 'StreamEvent', type: 'StreamCreated', sourceId: SOURCE_ID,
    summary: `Stream created. Id: ${i}, StreamType: ${TYPE}`,
    params: { id: i, stream_type: TYPE },
  };
}

/** JSON.stringify plus 64 KiB buffered appends: the ceiling. */
function runRaw(file: string, events: number): void {
  const fd = openSync(file, 'a');
  let buffer = '';
  for (let i = 0; i < events; i++) {
    buffer += `${JSON.stringify(record(i))}\n`;
    if (buffer.length >= 65536) {
      writeSync(fd, buffer);
      buffer = '';
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
}

async function runPino(file: string, events: number, sync: boolean): Promise<void> {
  const destination = pino.destination({ dest: file, sync });
  const logger = pino({
    base: null,
    messageKey: 'summary',
    timestamp: () => `,"time":"${isoNow()}"`,
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
  for (let i = 0; i < events; i++) {
    logger.info({ category: 'StreamEvent', type: 'StreamCreated', sourceId: SOURCE_ID, params: { id: i, stream_type: TYPE } },
      `Stream created. Id: ${i}, StreamType: ${TYPE}`);
  }
  destination.end();
  await once(destination, 'close');
}

/** Herald through the real path: raise → bus queue → batch → file backend → close (flushes). */
async function runHerald(file: string, events: number, transport: 'jsonl' | 'flatstore', dir: string): Promise<void> {
  const backends = new BackendRegistry()
    .register(createJsonlFactory({ config: { timezone: 'utc', roll: 'none' } }))
    .register(createFlatstoreFactory());
  const bus = new Bus({ catalogue: new Catalogue([StreamCreated]), backends, fileRoots: [dir], delivery: { maxQueueEvents: 4 * CHUNK } });
  await bus.subscribe(`${transport}:${file}`, { event: 'StreamCreated' });
  for (let i = 0; i < events; i += CHUNK) {
    const end = Math.min(events, i + CHUNK);
    for (let n = i; n < end; n++) bus.raise(StreamCreated, { id: n, stream_type: TYPE }, { sourceId: SOURCE_ID });
    // Raising faster than the file takes would only measure drops: wait while the queue is deep.
    do await new Promise(setImmediate); while (bus.subscribers()[0].queueDepth > CHUNK);
  }
  const dropped = bus.statistics().totals.dropped;
  await bus.close({ deadlineMs: 60_000 });
  if (dropped > 0) throw new Error(`Herald dropped ${dropped} events`);
}

export async function runCase(name: CaseName, file: string, events: number, dir: string): Promise<void> {
  switch (name) {
    case 'raw': return runRaw(file, events);
    case 'pino-sync': return runPino(file, events, true);
    case 'pino-async': return runPino(file, events, false);
    case 'herald-jsonl': return runHerald(file, events, 'jsonl', dir);
    case 'herald-flatstore': return runHerald(file, events, 'flatstore', dir);
  }
}
