import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { findLocalToken } from '../../src/cli/token-lookup.js';
import { silentLogger } from '../../src/log/logger.js';
import { ingestCounters } from '../../src/runtime/ingest-counters.js';
import { startDaemon, type Daemon } from '../../src/serve/serve.js';
import { HEP_ADDRESS_KEY, type ListenerAddress } from '../../src/sources/hep/service.js';
import { SIP_ADDRESS_KEY } from '../../src/sources/sip/service.js';
import type { TraceStore } from '../../src/trace/store/index.js';
import { TRACE_STORE_KEY } from '../../src/trace/tracer-service.js';

export interface TestDaemon {
  readonly daemon: Daemon;
  readonly dir: string;
  readonly configPath: string;
  readonly hep: ListenerAddress;
  readonly sip: ListenerAddress;
  readonly store: TraceStore;
  counters(source: string): Record<string, number>;
}

/** A real daemon on loopback ports chosen by the OS: MI and core events off, SQLite store in a temp data dir. */
export async function startCollector(t: TestContext, extra: Record<string, unknown> = {}): Promise<TestDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-collector-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const { trace, hep, ...rest } = extra as { trace?: object; hep?: object };
  const configPath = join(dir, 'herald.yaml');
  await writeFile(configPath, JSON.stringify({
    data_dir: join(dir, 'data'),
    log: { level: 'silent' },
    subscribers: [],
    mi: { enabled: false },
    core_events: { enabled: false },
    hep: { listen: '127.0.0.1:0', ...hep },
    sip: { listen: '127.0.0.1:0' },
    ingest: { http: { listen: '127.0.0.1:0' }, opensips: { listen: '127.0.0.1:0' } },
    trace: { flush_interval_ms: 20, ...trace },
    // Tests read their subscribers through memory:NAME, which a daemon refuses unless asked.
    delivery: { memory_transport: true },
    ...rest,
  }));
  const daemon = await startDaemon({ configPath, env: {}, announce: () => undefined, logger: silentLogger() });
  t.after(() => daemon.stop());
  const shared = daemon.runtime.slots;
  return {
    daemon,
    dir,
    configPath,
    hep: shared.get(HEP_ADDRESS_KEY) as ListenerAddress,
    sip: shared.get(SIP_ADDRESS_KEY) as ListenerAddress,
    store: shared.get(TRACE_STORE_KEY) as TraceStore,
    counters: (source) => ingestCounters(shared).snapshot()[source] ?? {},
  };
}

/** Sends datagrams from one socket, in order. */
export async function sendUdp(port: number, datagrams: readonly Buffer[]): Promise<void> {
  const socket = createSocket('udp4');
  for (const datagram of datagrams) await new Promise<void>((resolve, reject) => socket.send(datagram, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}

/** Writes pieces on one TCP connection, pausing between them so they leave as separate segments. */
export async function sendTcp(port: number, pieces: readonly Buffer[]): Promise<void> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const piece of pieces) {
    await new Promise<void>((resolve) => socket.write(piece, () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await new Promise<void>((resolve) => socket.end(() => resolve()));
}

export interface MiAnswer<T> {
  readonly result: T;
  readonly error?: { readonly code: number; readonly message: string };
}

/** JSON-RPC calls to a collector started with `mi: { listen: '127.0.0.1:0' }`, with the token the CLI would find. */
export async function miCaller(d: TestDaemon): Promise<<T>(method: string, params?: unknown) => Promise<MiAnswer<T>>> {
  const { url } = d.daemon.runtime.slots.get('mi.address') as { url: string };
  const { token } = await findLocalToken({ env: { HERALD_CONFIG: d.configPath } });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return async <T>(method: string, params?: unknown) => {
    const response = await fetch(`${url}/mi`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const answer = (await response.json()) as { result?: T; error?: { code: number; message: string } };
    return { result: answer.result as T, error: answer.error };
  };
}
