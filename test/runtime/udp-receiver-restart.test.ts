import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIRST_RESTART_DELAY_MS } from '../../src/runtime/udp-receiver/restart-backoff.js';
import { capturedLogger, handQueue, inOrder, send, startReceiver, until, type Received } from '../helpers/udp-receiver.js';

/*
 * A receive thread that dies is started again on the same address (receiver-thread.ts).
 * terminateThread() ends it as a crash would; real sockets and threads throughout.
 */

/** A receiver whose window takes every datagram (the journal stays empty) unless `windowBytes` says otherwise. */
async function receiverIn(t: TestContext, windowBytes = 4 * 1024 * 1024) {
  const dir = await mkdtemp(join(tmpdir(), 'herald-restart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const got: Received[] = [];
  const { logger, lines } = capturedLogger();
  const receiver = await startReceiver(dir, handQueue(false), got, { windowBytes, logger });
  t.after(() => receiver.close());
  const port = receiver.socket.address().port;
  const said = (start: string) => lines.filter((line) => String(line.msg).startsWith(start));
  return { receiver, got, port, said };
}

/** Binds 127.0.0.1:`port` here; undefined when it is taken. */
async function take(port: number): Promise<Socket | undefined> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(undefined));
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

test('a receive thread that dies is started again on the same port: datagrams arrive again, receiver_restarts is 1, received adds both threads', async (t) => {
  const { receiver, got, port, said } = await receiverIn(t);
  await send(port, 100);
  await until('the first 100 delivered', () => got.length === 100);
  assert.equal(receiver.counters().received, 100);

  await receiver.terminateThread();
  assert.equal(receiver.socket.binds?.(), undefined, 'no socket while the thread is dead');
  await until('a new thread bound', () => receiver.socket.binds?.() === 2);
  assert.equal(receiver.socket.address().port, port, 'the same port, though the first bind asked for 0');
  await send(port, 100, 100);
  await until('the next 100 delivered', () => got.length === 200);
  inOrder(got, 0, 200);
  await until('the new thread\'s counters', () => receiver.counters().received === 200);
  const counters = receiver.counters();
  assert.equal(counters.receiver_restarts, 1);
  assert.equal(counters.received, 200, '100 read by the dead thread + 100 by the new one');
  assert.equal(counters.delivered, 200);
  const died = said('UDP receiver thread on');
  assert.match(String(died[0]?.msg), new RegExp(`^UDP receiver thread on 127\\.0\\.0\\.1:${port} died \\(.+\\); starting it again`));
  assert.equal(died[0]?.level, 50, 'logged as an error');
});

test('close() during the restart backoff resolves, and no thread comes back', async (t) => {
  const { receiver, port, said } = await receiverIn(t);
  await receiver.terminateThread();
  await receiver.close();
  // Held here: a restart that was not cancelled would fail on it and say so.
  const holder = await take(port);
  assert.ok(holder !== undefined, 'the port is free: no thread holds it');
  t.after(() => holder.close());
  await sleep(FIRST_RESTART_DELAY_MS * 5);
  assert.deepEqual(said('UDP receiver thread on').map((line) => line.msg).filter((msg) => !String(msg).includes(' died ')), [], 'no restart was tried');
  assert.equal(receiver.socket.binds?.(), undefined);
  assert.equal(receiver.counters().receiver_restarts, 0);
});

test('while something else holds the port, the restart fails, says so and tries again until it binds', async (t) => {
  const { receiver, got, port, said } = await receiverIn(t);
  await receiver.terminateThread();
  const holder = await take(port);
  if (holder === undefined) return t.skip('the restart bound the port before the test could take it');
  await until('a failed restart logged', () => said(`UDP receiver thread on 127.0.0.1:${port} could not be started again`).length > 0);
  assert.match(String(said('UDP receiver thread on 127.0.0.1:')[1]?.msg), /could not be started again \(.*EADDRINUSE.*\); retrying in \d+ ms\.$/);
  assert.equal(receiver.counters().receiver_restarts, 0);
  holder.close();
  await until('a new thread bound once the port is free', () => receiver.socket.binds?.() === 2);
  await send(port, 10);
  await until('datagrams delivered again', () => got.length === 10);
  assert.equal(receiver.counters().receiver_restarts, 1);
});

test('the journal the dead thread left is read by the new one: what it held is delivered, some of it twice', async (t) => {
  // A window smaller than one datagram: every datagram goes through the journal.
  const { receiver, got, port } = await receiverIn(t, 1024);
  await send(port, 100);
  await until('the first 100 delivered', () => got.length === 100);
  assert.ok(receiver.counters().journal_replayed > 0, 'they came through the journal');
  await receiver.terminateThread();
  await until('a new thread bound', () => receiver.socket.binds?.() === 2);
  await send(port, 100, 100);
  await until('the next 100 delivered', () => got.some((r) => r.seq === 199));
  const seqs = got.map((r) => r.seq);
  const after = seqs.filter((seq) => seq >= 100);
  assert.deepEqual(after, Array.from({ length: 100 }, (_, i) => 100 + i), 'what arrived after the restart: once each, in order');
  assert.deepEqual([...new Set(seqs)].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i), 'nothing lost');
  // Without the cursor a clean close writes, the new thread reads the journal's oldest segment from its start again.
  const replayed = seqs.length - 200;
  assert.ok(seqs.slice(100, 100 + replayed).every((seq) => seq < 100), 'the repeats are the dead thread\'s journal, replayed before the new datagrams');
});
