import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChunkJournal } from '../../src/runtime/datagram-journal/chunk-journal.js';
import { readRecord, writeRecord } from '../../src/runtime/datagram-journal/record.js';
import { handQueue, inOrder, send, startReceiver, until, type Received } from '../helpers/udp-receiver.js';

test('datagrams that arrive while the queue is congested wait in the journal on disk, then are delivered in order with their receive time', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const queue = handQueue(true);
  const got: Received[] = [];
  const receiver = await startReceiver(dir, queue, got);
  t.after(() => receiver.close());
  const startedUs = Date.now() * 1000;
  const from = await send(receiver.socket.address().port, 2000);
  await until('the thread to read all 2,000', () => receiver.counters().received === 2000);
  const held = receiver.counters();
  assert.ok(held.journal_spilled > 1500, `most datagrams went to the journal while the queue was congested (spilled ${held.journal_spilled})`);
  assert.ok(held.journal_bytes > 1_500_000, `the journal holds them (${held.journal_bytes} bytes)`);
  assert.ok((await readdir(dir)).some((name) => name.endsWith('.seg')), 'on disk, in a segment file');
  assert.ok(got.length < 500, `only the window was delivered while congested (${got.length})`);
  queue.set(false);
  await until('every datagram delivered', () => got.length === 2000);
  inOrder(got, 0, 2000);
  assert.ok(got.every((r) => r.peer === from), 'the sender address travels with each datagram');
  assert.ok(got.every((r) => r.receivedUs >= startedUs - 1_000_000 && r.receivedUs <= Date.now() * 1000), 'receive time is when it arrived, not when it was delivered');
  await until('the journal counters to settle', () => receiver.counters().journal_bytes === 0);
  assert.equal(receiver.counters().journal_replayed, receiver.counters().journal_spilled);
});

test('a stop leaves the journal on disk and the next start delivers what is left, once, in order', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const got: Received[] = [];
  const first = await startReceiver(dir, handQueue(true), got);
  await send(first.socket.address().port, 1500);
  await until('the thread to read all 1,500', () => first.counters().received === 1500);
  await first.close();
  const deliveredBefore = got.length;
  assert.ok(deliveredBefore < 1500, `some datagrams stayed in the journal (${1500 - deliveredBefore})`);
  assert.ok((await readdir(dir)).some((name) => name.endsWith('.seg')));

  const second = await startReceiver(dir, handQueue(false), got);
  t.after(() => second.close());
  await until('the rest delivered after the restart', () => got.length === 1500);
  await sleep(300);
  assert.equal(got.length, 1500, 'nothing delivered twice');
  inOrder(got, 0, 1500);
  await second.close();
  assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.seg')), [], 'an empty journal leaves no segment behind');
});

test('a full journal drops and counts what does not fit; everything else is delivered', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const queue = handQueue(true);
  const got: Received[] = [];
  const receiver = await startReceiver(dir, queue, got, { maxBytes: 200_000 });
  t.after(() => receiver.close());
  await send(receiver.socket.address().port, 1000);
  await until('the thread to read all 1,000', () => receiver.counters().received === 1000);
  const dropped = receiver.counters().dropped_journal_full;
  assert.ok(dropped > 500, `a 200 KB journal cannot hold 1 MB (dropped ${dropped})`);
  queue.set(false);
  await until('the rest delivered', () => got.length + dropped === 1000);
  await sleep(200);
  assert.equal(got.length + dropped, 1000, 'delivered + dropped = received');
  const seqs = got.map((r) => r.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'still in order');
});

test('a record torn by a crash is skipped and counted; the records before it are read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const record = Buffer.alloc(200);
  const end = writeRecord(record, 0, Buffer.from('seq 1'), { address: '10.0.0.1', port: 5060 }, 123);
  const torn = Buffer.alloc(end + 10);
  record.copy(torn, 0, 0, end);
  torn.writeUInt32LE(500, end); // a length promising more bytes than the file holds
  await writeFile(join(dir, '000000000001.seg'), torn);
  const journal = await ChunkJournal.open({ dir, name: 'test' });
  assert.equal(journal.heldBytes, torn.length);
  const chunk = await journal.read(1024 * 1024);
  assert.equal(chunk?.records, 1);
  assert.equal(await journal.read(1024 * 1024), undefined);
  assert.equal(journal.tornBytes, 10);
  assert.equal(journal.heldBytes, 0);
  await journal.close();
  assert.deepEqual(await readdir(dir), []);
});

test('a clean close keeps the read position: reopened, the journal reads on from there, nothing twice', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const records = (from: number, count: number) => {
    const chunk = Buffer.alloc(count * 64);
    let at = 0;
    for (let seq = from; seq < from + count; seq++) at = writeRecord(chunk, at, Buffer.from(`seq ${seq}`), { address: '10.0.0.1', port: 5060 }, seq);
    return chunk.subarray(0, at);
  };
  const seqsOf = (chunk: { buffer: Buffer; bytes: number } | undefined) => {
    const out: number[] = [];
    for (let at = 0; chunk !== undefined && at < chunk.bytes;) {
      const read = readRecord(chunk.buffer.subarray(0, chunk.bytes), at);
      assert.equal(read.kind, 'record');
      if (read.kind !== 'record') break;
      out.push(read.record.receivedUs);
      at += read.record.size;
    }
    return out;
  };
  const first = await ChunkJournal.open({ dir, name: 'test', segmentBytes: 4096 });
  for (let i = 0; i < 10; i++) first.append(records(i * 20, 20), 20);
  await first.flushed();
  const read = seqsOf(await first.read(1));
  assert.ok(read.length > 0 && read.length < 200);
  await first.close();

  const second = await ChunkJournal.open({ dir, name: 'test', segmentBytes: 4096 });
  const rest: number[] = [];
  for (let chunk = await second.read(1 << 20); chunk !== undefined; chunk = await second.read(1 << 20)) rest.push(...seqsOf(chunk));
  assert.deepEqual([...read, ...rest], Array.from({ length: 200 }, (_, i) => i), 'every record once, in order, across segments and the reopen');
  await second.close();
});
