import { Redis } from 'ioredis';
import { silentLogger } from '../../src/log/logger.js';
import { GroupReader } from '../../src/sources/redis/group-reader.js';
import type { BrokerCase } from './broker-case.js';
import { heraldSourceRun } from './herald-source.js';
import { privateServer, type PrivateServer } from './private-server.js';

/*
 * A private redis-server (no AOF, no snapshots: the bench measures the clients). Publishes are XADDs,
 * 512 per pipeline as the backend sends a batch, every reply awaited; consumers read a consumer group
 * 256 entries at a time and XACK what they took.
 */

let server: PrivateServer | undefined;
let redis: Redis | undefined;
let runs = 0;
const WINDOW = 512;
const BATCH = 256;

async function addAll(bodies: readonly string[], stream: string): Promise<void> {
  for (let i = 0; i < bodies.length; i += WINDOW) {
    const pipeline = redis!.pipeline();
    for (const body of bodies.slice(i, i + WINDOW)) pipeline.xadd(stream, '*', 'event', body);
    const replies = await pipeline.exec();
    const failed = replies?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0] as Error;
  }
}

export const redisCase: BrokerCase = {
  name: 'redis',
  async prepare() {
    const started = await privateServer('redis-server', (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
    if (typeof started === 'string') return started;
    server = started;
    redis = new Redis({ host: '127.0.0.1', port: server.port });
    return undefined;
  },
  socket: () => `redis://127.0.0.1:${server!.port}/bench:herald`,
  rawPublish: (bodies) => addAll(bodies, 'bench:raw'),
  async seed(bodies) {
    runs++;
    await redis!.xgroup('CREATE', `bench:seed${runs}`, 'bench', '0', 'MKSTREAM');
    await addAll(bodies, `bench:seed${runs}`);
  },
  async rawConsume(count) {
    const reader = new Redis({ host: '127.0.0.1', port: server!.port });
    const stream = `bench:seed${runs}`;
    let seen = 0;
    while (seen < count) {
      const reply = await reader.xreadgroup('GROUP', 'bench', 'raw', 'COUNT', BATCH, 'BLOCK', 1000, 'STREAMS', stream, '>') as [string, [string, string[]][]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [, fields] of entries) JSON.parse(fields[1]);
      if (entries.length > 0) await reader.xack(stream, 'bench', ...entries.map(([id]) => id));
      seen += entries.length;
    }
    reader.disconnect();
  },
  async heraldConsume(count) {
    const { bus, kit, accepted } = await heraldSourceRun('redis');
    const reader = new Redis({ host: '127.0.0.1', port: server!.port });
    const stop = new AbortController();
    const loop = new GroupReader(reader, {
      stream: `bench:seed${runs}`, group: 'bench', consumer: 'herald', field: 'event', startId: '0', batch: BATCH, claimIdleMs: 60_000, retryMs: 20,
      intake: kit, logger: silentLogger(),
    }).run(stop.signal);
    await accepted(count);
    stop.abort();
    await loop;
    reader.disconnect();
    await bus.close();
  },
  async cleanup() {
    redis?.disconnect();
    server?.stop();
  },
};
