import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { SlotTable } from '../../src/runtime/slots.js';
import { statusRegistryOf } from '../../src/runtime/status.js';
import { COLLECTOR_STATUS_GROUP, watchUdpCollector } from '../../src/runtime/udp-collector-watch.js';
import { udpCollectors } from '../../src/runtime/udp-collectors.js';
import type { BoundUdpSocket } from '../../src/runtime/recv-buffer.js';
import { UdpReceiverThread } from '../../src/runtime/udp-receiver/receiver-thread.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';
import { capturedLogger, until } from '../helpers/udp-receiver.js';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';

/** A /proc of our own: the test writes the socket's row with the drops it wants the watch to see. */
async function fakeProc(t: TestContext) {
  const root = await mkdtemp(join(tmpdir(), 'herald-fake-proc-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'net'));
  return {
    root,
    /** The socket's row (`inode` tells one socket from its successor on the same port); no port: the table without it. */
    row: (port: number | undefined, drops = 0, rxQueue = 0, inode = 4242) => writeFile(join(root, 'net', 'udp'), [
      HEADER,
      // 127.0.0.1 as one 32-bit word in this machine's byte order, as the kernel prints it.
      ...(port === undefined ? [] : [`  1: ${endianness() === 'LE' ? '0100007F' : '7F000001'}:${port.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 07 00000000:${rxQueue.toString(16).toUpperCase().padStart(8, '0')} 00:00000000 00000000 0 0 ${inode} 2 0000000000000000 ${drops}`]),
    ].join('\n')),
  };
}

/** A socket bound on this thread. */
async function plainSocket(t: TestContext): Promise<BoundUdpSocket> {
  const udp = createSocket({ type: 'udp4', recvBufferSize: 65536 });
  t.after(() => udp.close());
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  return udp;
}

/** A collector's receive thread: its socket is bound again when the thread is. */
async function receiveThread(t: TestContext): Promise<UdpReceiverThread> {
  const receiver = await UdpReceiverThread.start({ host: '127.0.0.1', port: 0, recvBufferBytes: 65536, deliver: () => undefined });
  t.after(() => receiver.close());
  return receiver;
}

async function setup(t: TestContext, procRoot: string | undefined, platform = 'linux', udp?: BoundUdpSocket) {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('kdrops');
  await bus.subscribe(socket, { event: 'E_HERALD_KERNEL_DROPS' });
  const { logger, lines } = capturedLogger();
  const slots = new SlotTable();
  udp ??= await plainSocket(t);
  const watch = watchUdpCollector({ slots, bus, logger }, {
    listener: 'hep', configKey: 'hep', socket: udp, askedBytes: 65536, intervalMs: 60_000, proc: { ...(procRoot !== undefined ? { procRoot } : {}), platform },
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

test('a counter that was unreadable for a while reports only what grew since it was last read', async (t) => {
  const proc = await fakeProc(t);
  const w = await setup(t, proc.root);
  await proc.row(w.port, 5, 0);
  await w.watch.sample();
  await proc.row(undefined); // the row is missing for a sample
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), {}, 'unavailable meanwhile');
  await proc.row(w.port, 6, 0);
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), { kernel_drops: 6, rx_queue_bytes: 0 });
  assert.deepEqual((await w.events()).map((event) => [event.drops, event.drops_since_last]), [[5, 5], [6, 1]], 'the 5 read before are not reported again');
});

test('a receive thread started again binds a new socket: the watch follows it and carries the old one\'s drops, reporting no growth for the swap', async (t) => {
  const proc = await fakeProc(t);
  const receiver = await receiveThread(t);
  await proc.row(receiver.socket.address().port, 7, 0, 1001);
  const w = await setup(t, proc.root, 'linux', receiver.socket);
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), { kernel_drops: 7, rx_queue_bytes: 0 });

  await receiver.terminateThread();
  await proc.row(undefined); // the old socket is gone from the table
  await w.watch.sample(); // while no thread holds a socket: the last reading stands
  assert.deepEqual(w.watch.counters(), { kernel_drops: 7, rx_queue_bytes: 0 });
  await until('a new thread bound', () => receiver.socket.binds?.() === 2);
  await proc.row(w.port, 0, 0, 2002); // its successor, counting from 0
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), { kernel_drops: 7, rx_queue_bytes: 0 }, 'the total does not fall back');
  await proc.row(w.port, 2, 0, 2002);
  await w.watch.sample();
  assert.deepEqual(w.watch.counters(), { kernel_drops: 9, rx_queue_bytes: 0 }, 'old socket\'s 7 + new socket\'s 2');

  assert.deepEqual((await w.events()).map((event) => [event.drops, event.drops_since_last]), [[7, 7], [9, 2]], 'growth only, none for the swap');
  assert.deepEqual(w.lines.filter((line) => String(line.msg).startsWith('Kernel drops of the hep udp')), [], 'no "cannot be read" warning');
  assert.match(w.details(), /; kernel drops 9; /);
});

test('the watch reads the real /proc row of a restarted receive thread\'s new socket', {
  skip: process.platform !== 'linux' ? 'needs Linux /proc/net/udp' : false,
}, async (t) => {
  const receiver = await receiveThread(t);
  const w = await setup(t, undefined, 'linux', receiver.socket);
  await w.watch.sample();
  assert.equal(w.watch.counters().kernel_drops, 0);
  await receiver.terminateThread();
  await w.watch.sample();
  await until('a new thread bound', () => receiver.socket.binds?.() === 2);
  await w.watch.sample();
  assert.equal(w.watch.counters().kernel_drops, 0, 'read from the new socket\'s row');
  assert.doesNotMatch(w.details(), /unavailable/);
  assert.deepEqual(w.lines.filter((line) => String(line.msg).startsWith('Kernel drops of the hep udp')), []);
});
