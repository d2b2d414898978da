import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { WRITE_OK, type Backend } from '../../src/bus/backend.js';
import type { Bus } from '../../src/bus/bus.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createLogger } from '../../src/log/logger.js';
import { guardBackendFactories, heraldPinoDestination, logLevelName, teeLogger } from '../../src/process/log-events.js';
import { testBus } from '../helpers/bus.js';
import { collect, until } from './helpers.js';

const NOWHERE = { write: () => {} };
const PARAMS = ['time', 'pid', 'level', 'module', 'function', 'prefix', 'message'];

function appLogger(bus: Bus, options: Parameters<typeof heraldPinoDestination>[1] = {}) {
  // The one line an application adds to get E_CORE_LOG.
  return pino({ level: 'trace' }, pino.multistream([{ stream: NOWHERE, level: 'trace' }, { stream: heraldPinoDestination(bus, options), level: 'trace' }]));
}

test('a log line raises E_CORE_LOG with every param present, empty when unknown', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  const logger = appLogger(bus, { prefix: 'app: ' });
  logger.child({ module: 'billing' }).warn({ function: 'charge' }, 'Card declined.');
  logger.info('Plain line.\n');
  await store.waitFor(2);
  const [full, plain] = store.events;
  for (const event of store.events) assert.deepEqual(Object.keys(event.params).sort(), [...PARAMS].sort());
  assert.equal(full.params.level, 'WARN');
  assert.equal(full.level, 'warning');
  assert.equal(full.params.module, 'billing');
  assert.equal(full.params.function, 'charge');
  assert.equal(full.params.prefix, 'app: ');
  assert.equal(full.params.message, 'Card declined.');
  assert.equal(full.params.pid, process.pid);
  assert.match(full.params.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual([plain.params.level, plain.params.module, plain.params.function, plain.params.message], ['INFO', '', '', 'Plain line.']);
});

test('the level filter drops lines below it; pino levels map to OpenSIPS names', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  const logger = appLogger(bus, { level: 'warn' });
  logger.debug('no');
  logger.info('no');
  logger.error('yes');
  logger.fatal('yes');
  await store.waitFor(2);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(store.events.map((e) => [e.params.level, e.level]), [['ERROR', 'error'], ['CRITICAL', 'critical']]);
  assert.deepEqual([10, 20, 30, 35, 40, 50, 60].map(logLevelName), ['DBG', 'DBG', 'INFO', 'NOTICE', 'WARN', 'ERROR', 'CRITICAL']);
});

/**
 * A backend that logs through the application's logger on every write: at once,
 * after an await, and from a timer it starts. Without the guard each E_CORE_LOG
 * it writes would log again, raise again, and so on for ever.
 */
function registerChattyTransport(bus: Bus, logger: () => pino.Logger, writes: { count: number }): void {
  bus.backends.register({
    transport: 'chatty',
    description: 'logs on every write',
    create: (): Backend => ({
      open: async () => {},
      write: async (batch) => {
        writes.count++;
        logger().info(`Chatty wrote ${batch.length} events.`);
        await new Promise((resolve) => setImmediate(resolve));
        logger().info('Chatty after an await.');
        setTimeout(() => logger().info('Chatty from a timer.'), 1);
        return WRITE_OK;
      },
      flush: async () => {},
      close: async () => {},
    }),
  });
}

/** The count once it stops growing; fails if it still grows after 5 s (a log loop). */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 60));
    const now = read();
    if (now === last) return now;
    last = now;
  }
  throw new Error(`E_CORE_LOG count still growing after 5 s (${last}): a log loop`);
}

test('no recursion: a backend subscribed to E_CORE_LOG that logs on each write adds no E_CORE_LOG', async (t) => {
  const bus = testBus(t);
  const writes = { count: 0 };
  let logger: pino.Logger | undefined;
  registerChattyTransport(bus, () => logger as pino.Logger, writes);
  guardBackendFactories(bus.backends);
  logger = appLogger(bus);
  await bus.subscribe('chatty:x', { event: 'E_CORE_LOG' });
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  for (let i = 0; i < 20; i++) {
    logger.info(`Application line ${i}.`);
    if (i % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
  }
  const count = await settled(() => store.events.length);
  assert.ok(writes.count >= 1, 'the chatty backend did write');
  assert.equal(count, 20, `only the application's lines: ${store.events.map((e) => e.params.message).join(' | ')}`);
  assert.ok(store.events.every((e) => String(e.params.message).startsWith('Application line')));
});

test('no loop when the chatty backend also gets other events in the same batches', async (t) => {
  const bus = testBus(t);
  const writes = { count: 0 };
  let logger: pino.Logger | undefined;
  registerChattyTransport(bus, () => logger as pino.Logger, writes);
  guardBackendFactories(bus.backends);
  logger = appLogger(bus);
  await bus.subscribe('chatty:x', { filter: 'event=E_CORE_LOG OR event=E_CORE_THRESHOLD' });
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  for (let i = 0; i < 50; i++) {
    bus.raise(E_CORE_THRESHOLD, { source: 'store', time: 1000 + i, extra: 'SELECT 1' });
    if (i % 3 === 0) logger.info(`Application line ${i}.`);
    if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  const count = await settled(() => store.events.length);
  const fromChatty = store.events.filter((e) => String(e.params.message).startsWith('Chatty')).length;
  // Logs from writing a batch of other events are real log lines (OpenSIPS raises them too);
  // logs from writing a batch that holds E_CORE_LOG are not, so the chain stops there.
  assert.equal(count - fromChatty, 17);
  assert.ok(fromChatty <= 3 * writes.count, `${fromChatty} chatty lines for ${writes.count} writes`);
  assert.equal(await settled(() => store.events.length), count, 'and it stays bounded');
});

test('a tap that logs while E_CORE_LOG is raised does not raise it again', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  const logger = appLogger(bus);
  t.after(bus.tap(() => logger.info('Tapped.')));
  logger.info('One.');
  logger.info('Two.');
  const count = await settled(() => store.events.length);
  assert.equal(count, 2);
});

test('teeLogger gives an existing pino logger (and its children) E_CORE_LOG; the disposer undoes it', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_LOG' });
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  const child = logger.child({ module: 'mi' });
  const untee = teeLogger(logger, heraldPinoDestination(bus));
  child.info('Listening.');
  await store.waitFor(1);
  assert.equal(store.events[0].params.module, 'mi');
  assert.equal(store.events[0].params.message, 'Listening.');
  untee();
  logger.info('After.');
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(store.events.length, 1);
  assert.equal(lines.length, 2, 'the original destination still gets every line');
  await until('nothing pending', () => true);
});
