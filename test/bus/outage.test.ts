import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test, type TestContext } from 'node:test';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { tempDir } from '../backends/helpers.js';
import { httpPeer, tcpPeer } from '../backends/network/helpers.js';
import { testBus } from '../helpers/bus.js';

/*
 * Outage tests (issue 13): an at-least-once subscriber's peer dies while a Herald process is
 * delivering to it, that Herald is SIGKILLed, the peer comes back, a new Herald starts on the
 * same data dir and keeps raising. Every event must arrive; duplicates are allowed only because
 * these transports cannot de-duplicate (they are counted, and the consumer has the event id).
 */

interface Peer {
  /** The event markers (params.extra) received, in order, duplicates included. */
  received(): string[];
  count(): number;
  kill(): Promise<void>;
  revive(): Promise<void>;
}

interface OutageCase {
  readonly name: string;
  start(t: TestContext): Promise<{ socket: string; peer: Peer }>;
}

const answer = (request: Record<string, unknown>) => ({ jsonrpc: '2.0', result: 'ok', id: request.id });

const CASES: readonly OutageCase[] = [
  {
    name: 'tcp reliable',
    start: async (t) => {
      const peers = [await tcpPeer(t, answer)];
      const port = peers[0].port;
      const received = () => peers.flatMap((p) => p.requests.map((r) => String((r.params as { extra: string }).extra)));
      return {
        socket: `tcp:127.0.0.1:${port}?reliable=1&connect_timeout_ms=200&timeout_ms=500`,
        peer: {
          received, count: () => received().length,
          kill: () => peers[peers.length - 1].close(),
          revive: async () => { peers.push(await tcpPeer(t, answer, port)); },
        },
      };
    },
  },
  {
    name: 'http ndjson',
    start: async (t) => {
      const peers = [await httpPeer(t)];
      const url = peers[0].url;
      const received = () => peers.flatMap((p) => p.hits.flatMap((hit) => hit.body.split('\n').filter((line) => line !== '')))
        .map((line) => String((JSON.parse(line) as { params: { extra: string } }).params.extra));
      return {
        socket: `${url}/?format=ndjson&timeout_ms=500`,
        peer: {
          received, count: () => received().length,
          kill: () => peers[peers.length - 1].close(),
          revive: async () => { peers.push(await httpPeer(t, undefined, Number(new URL(url).port))); },
        },
      };
    },
  },
];

const ROOT = new URL('../..', import.meta.url).pathname;
const FIRST = 2000;
const SECOND = 500;

for (const outage of CASES) {
  test(`outage (${outage.name}): peer killed mid-stream, Herald SIGKILLed, both back: every event delivered`, async (t) => {
    const dir = tempDir(t, 'herald-outage-');
    const { socket, peer } = await outage.start(t);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bus/fixtures/spool-child.ts', dir, socket, String(FIRST)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('spooled')) resolve(); });
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    // Mid-stream: the peer dies once the child has delivered some, then the child is killed.
    while (peer.count() === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await peer.kill();
    child.kill('SIGKILL');
    await once(child, 'exit');
    const deliveredBeforeKill = peer.count();

    await peer.revive();
    const bus = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 10, retryMaxMs: 100 } });
    await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
    for (let i = 0; i < SECOND; i++) bus.raise(E_CORE_THRESHOLD, { source: 'outage', time: i, extra: `p${i}` });
    await bus.drain();

    const received = peer.received();
    const expected = [...Array.from({ length: FIRST }, (_, i) => `e${i}`), ...Array.from({ length: SECOND }, (_, i) => `p${i}`)];
    assert.deepEqual(new Set(received), new Set(expected), 'an event was lost');
    const duplicates = received.length - new Set(received).size;
    t.diagnostic(`${outage.name}: ${deliveredBeforeKill} delivered before the kill, ${duplicates} duplicates after replay`);
    assert.equal(bus.subscribers()[0].dropped, 0);
  });
}
