import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { createLogger } from '../../src/log/logger.js';
import { SlotTable } from '../../src/runtime/slots.js';
import { statusRegistryOf } from '../../src/runtime/status.js';
import { COLLECTOR_STATUS_GROUP, watchUdpCollector } from '../../src/runtime/udp-collector-watch.js';
import { udpCollectors } from '../../src/runtime/udp-collectors.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

/** A /proc of our own: the test writes the socket's row with the drops it wants the watch to see. */
async function fakeProc(t: TestContext) {
  const root = await mkdtemp(join(tmpdir(), 'herald-fake-proc-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'net'));
  return {
    root,
    row: (port: number, drops: number, rxQueue: number) => writeFile(join(root, 'net', 'udp'), [
      HEADER,
      // 127.0.0.1 as one 32-bit word in this machine's byte order, as the kernel prints it.
      `  1: ${endianness() === 'LE' ? '0100007F' : '7F000001'}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 07 00000000:${rxQueue.toString(16).toUpperCase().padStart(8, '0')} 00:00000000 00000000 0 0 4242 2 0000000000000000 ${drops}`,
    ].join('\n')),
  };
}

async function setup(t: TestContext, procRoot: string, platform = 'linux') {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('kdrops');
  await bus.subscribe(socket, { event: 'E_HERALD_KERNEL_DROPS' });
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  const slots = new SlotTable();
  const udp = createSocket({ type: 'udp4', recvBufferSize: 65536 });
  t.after(() => udp.close());
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const watch = watchUdpCollector({ slots, bus, logger }, {
    listener: 'hep', configKey: 'hep', socket: udp, askedBytes: 65536, intervalMs: 60_000, proc: { procRoot, platform },
  });
  t.after(() => watch.close());
  const status = statusRegistryOf({ slots, bus });
  const identifier = `hep udp 127.0.0.1:${udp.address().port}`;
  return {
    watch, lines, port: udp.address().port, slots,
    details: () => status.get(COLLECTOR_STATUS_GROUP, identifier).details,
    events: async () => {
      await bus.drain();
      return memoryStore(socket.slice('memory:'.length)).events.map((event) => event.params);
    },
  };
}

test('E_HERALD_KERNEL_DROPS is raised only when the counter grew, with the total and the growth since the last sample', async (t) => {
  const proc = await fakeProc(t);
  const w = await setup(t, proc.root);
  await proc.row(w.port, 0, 0);
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), { kernel_drops: 0, rx_queue_bytes: 0 });
  await proc.row(w.port, 7, 0x1b00);
  await w.watch.sample();
  await w.watch.sample(); // unchanged: no second event
  await proc.row(w.port, 10, 0);
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), { kernel_drops: 10, rx_queue_bytes: 0 });
  assert.deepEqual(await w.events(), [
    { listener: 'hep', proto: 'udp', address: '127.0.0.1', port: w.port, drops: 7, drops_since_last: 7, rx_queue: 0x1b00 },
    { listener: 'hep', proto: 'udp', address: '127.0.0.1', port: w.port, drops: 10, drops_since_last: 3, rx_queue: 0 },
  ]);
  assert.match(w.details(), /^recv buffer 65536 bytes \(asked 65536\); kernel drops 10; rx_queue 0 bytes$/);
  assert.deepEqual(udpCollectors(w.slots).list().map((state) => state.kernelDrops), [10]);
});

test('a counter that cannot be read is said once in the log, shown as unavailable in status, and left out of the stats', async (t) => {
  const proc = await fakeProc(t);
  const w = await setup(t, proc.root, 'darwin');
  for (let i = 0; i < 3; i++) await w.watch.sample();
  const warnings = w.lines.filter((line) => String(line.msg).startsWith('Kernel drops of the hep udp'));
  assert.equal(warnings.length, 1);
  assert.match(String(warnings[0]?.msg), /\/proc on Linux only \(this is darwin\)/);
  assert.match(w.details(), /; kernel drops unavailable: kernel drop counters are read from \/proc on Linux only/);
  assert.deepEqual(w.watch.counters(), {});
  assert.deepEqual(await w.events(), []);
});
