import type { RecvBufferGrant } from './recv-buffer.js';
import type { SlotTable } from './slots.js';

/** The slot holding the daemon's UDP collector sockets (HEP, raw SIP, OpenSIPS datagrams). */
export const UDP_COLLECTORS_SLOT = 'runtime.udp-collectors';

declare module './slots.js' {
  interface Slots {
    [UDP_COLLECTORS_SLOT]: UdpCollectors;
  }
}

/** One UDP collector socket as the last kernel sample saw it. */
export interface UdpCollectorState {
  /** hep, sip or opensips. */
  readonly listener: string;
  readonly proto: 'udp';
  readonly address: string;
  readonly port: number;
  readonly recvBuffer: RecvBufferGrant;
  /** Datagrams the kernel dropped since the socket was opened; absent before the first sample or when unavailable. */
  readonly kernelDrops?: number;
  /** Bytes waiting in the receive queue at the last sample. */
  readonly rxQueueBytes?: number;
  /** Why the kernel's counters cannot be read here. */
  readonly unavailable?: string;
}

/**
 * Every UDP collector socket's kernel counters, for whoever shows them: get_statistics
 * (through each collector's ingest counters), `herald status`, /health and /metrics all
 * read these states, which one sampler per socket keeps (udp-collector-watch.ts).
 */
export class UdpCollectors {
  readonly #states = new Set<() => UdpCollectorState>();

  /** Adds a socket's state reader; returns its disposer. */
  add(read: () => UdpCollectorState): () => void {
    this.#states.add(read);
    return () => {
      this.#states.delete(read);
    };
  }

  list(): UdpCollectorState[] {
    return [...this.#states].map((read) => read());
  }
}

/** The registry in the slots, created on first use so services may start in any order. */
export function udpCollectors(slots: SlotTable): UdpCollectors {
  const existing = slots.get(UDP_COLLECTORS_SLOT);
  if (existing !== undefined) return existing;
  const created = new UdpCollectors();
  slots.set(UDP_COLLECTORS_SLOT, created);
  return created;
}
