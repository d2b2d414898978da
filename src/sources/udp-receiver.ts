import { join } from 'node:path';
import type { Runtime } from '../runtime/service.js';
import { UdpReceiverThread, type DatagramDelivery } from '../runtime/udp-receiver/receiver-thread.js';
import { TRACE_INGEST_KEY } from '../trace/tracer-service.js';

export interface CollectorSocketOptions {
  /** hep or sip: names the journal directory and the thread. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly recvBufferBytes: number;
  readonly deliver: DatagramDelivery;
}

/**
 * A trace collector's UDP socket, read on its own thread, with the overflow journal in
 * `<data_dir>/journal/<name>` bounded by trace.journal_max_bytes (docs/trace.md "Bursts
 * above what the store takes"): while the trace store's queue is congested datagrams wait
 * on disk instead of being dropped. 0 turns the journal off.
 */
export function startCollectorSocket(runtime: Pick<Runtime, 'config' | 'slots' | 'dataDir' | 'logger'>, options: CollectorSocketOptions): Promise<UdpReceiverThread> {
  const queue = runtime.slots.get(TRACE_INGEST_KEY);
  const maxBytes = runtime.config.trace.journal_max_bytes;
  const journal = queue === undefined || maxBytes === 0 ? undefined : { dir: join(runtime.dataDir, 'journal', options.name), maxBytes, name: options.name };
  return UdpReceiverThread.start({
    host: options.host, port: options.port, recvBufferBytes: options.recvBufferBytes, deliver: options.deliver, queue, logger: runtime.logger,
    ...(journal !== undefined ? { journal } : {}),
  });
}

/**
 * A collector socket's counters for get_statistics: what the thread read (`udp_received`),
 * the journal's, and `receiver_restarts` (threads started again after a crash).
 */
export function receiverCounters(thread: UdpReceiverThread | undefined): Record<string, number> {
  if (thread === undefined) return {};
  const { received, delivered: _delivered, ...rest } = thread.counters();
  return { udp_received: received, ...rest };
}
