// Soak test of at-least-once delivery (issue 13), not part of npm test:
//   node --import tsx scripts/soak-delivery.ts [--events 1000000] [--outage-s 30] [--rate 50000]
// Raises a steady stream to a tcp (reliable) subscriber, kills the peer for --outage-s seconds,
// restarts Herald (a new Bus on the same data dir) in the middle of the outage, brings the peer
// back, and checks every event arrived. Prints duplicates, peak RSS and the spool's peak bytes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerShippedBackends } from '../src/backends/index.js';
import { BackendRegistry } from '../src/bus/backend-registry.js';
import { Bus } from '../src/bus/bus.js';
import { E_CORE_THRESHOLD } from '../src/events/packs/core.js';
import { createDefaultCatalogue } from '../src/events/packs/index.js';
import { JsonObjectSplitter } from '../src/runtime/json-object-splitter.js';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const EVENTS = arg('events', 1_000_000);
const OUTAGE_MS = arg('outage-s', 30) * 1000;
const RATE = arg('rate', 50_000);

const seen = new Uint8Array(EVENTS);
let received = 0;
let duplicates = 0;

function listen(port: number): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const objects = new JsonObjectSplitter(1 << 20);
    socket.on('data', (chunk) => {
      let replies = '';
      for (const piece of objects.push(chunk)) {
        if (!piece.ok) continue;
        const request = JSON.parse(piece.text) as { id: number; params: { time: number } };
        const n = request.params.time;
        if (seen[n] === 1) duplicates++;
        else received++;
        seen[n] = 1;
        replies += `{"jsonrpc":"2.0","result":"ok","id":${request.id}}`;
      }
      socket.write(replies);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? Number.NaN : Math.round(Number(match[1]) / 1024);
}

const dir = mkdtempSync(join(tmpdir(), 'herald-soak-'));
const newBus = () => new Bus({
  catalogue: createDefaultCatalogue(), backends: registerShippedBackends(new BackendRegistry()), dataDir: dir, fileRoots: [dir],
  delivery: { retryBaseMs: 50, retryMaxMs: 1000 },
});
let peer = await listen(0);
const socket = `tcp:127.0.0.1:${peer.port}?reliable=1&connect_timeout_ms=500&timeout_ms=2000`;
let bus = newBus();
await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });

let sent = 0;
let spoolPeak = 0;
const started = Date.now();
const outageAt = started + Math.floor((EVENTS / RATE) * 1000 / 3);
let phase: 'before' | 'down' | 'restarted' | 'after' = 'before';
while (sent < EVENTS) {
  const due = Math.min(EVENTS, Math.floor(((Date.now() - started) / 1000) * RATE));
  for (; sent < due; sent++) bus.raise(E_CORE_THRESHOLD, { source: 'soak', time: sent, extra: '' });
  spoolPeak = Math.max(spoolPeak, bus.subscribers()[0]?.spoolBytes ?? 0);
  const now = Date.now();
  if (phase === 'before' && now >= outageAt) {
    for (const s of peer.sockets) s.destroy();
    await new Promise((resolve) => peer.server.close(resolve));
    phase = 'down';
    process.stdout.write(`peer down at event ${sent}\n`);
  } else if (phase === 'down' && now >= outageAt + OUTAGE_MS / 2) {
    await bus.close({ deadlineMs: 100 });
    bus = newBus();
    await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' });
    phase = 'restarted';
    process.stdout.write(`herald restarted at event ${sent}\n`);
  } else if (phase === 'restarted' && now >= outageAt + OUTAGE_MS) {
    peer = await listen(peer.port);
    phase = 'after';
    process.stdout.write(`peer back at event ${sent}\n`);
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
}
if (phase !== 'after') process.stdout.write(`warning: the stream ended in phase ${phase}; raise --events or lower --outage-s\n`);
if (phase === 'down' || phase === 'restarted') peer = await listen(peer.port);
await bus.drain();
await bus.close();
const seconds = (Date.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ events: EVENTS, received, lost: EVENTS - received, duplicates, seconds, peakRssMb: peakRssMb(), spoolPeakMb: Math.round(spoolPeak / 2 ** 20) })}\n`);
for (const s of peer.sockets) s.destroy();
peer.server.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = received === EVENTS ? 0 : 1;
