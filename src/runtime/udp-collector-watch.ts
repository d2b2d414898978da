import { E_HERALD_KERNEL_DROPS } from '../events/packs/core.js';
import { recvBufferGrant, recvBufferShortfall, type BoundUdpSocket, type RecvBufferGrant } from './recv-buffer.js';
import type { Runtime } from './service.js';
import { SR_STATUS, statusRegistryOf } from './status.js';
import { udpCollectors, type UdpCollectorState } from './udp-collectors.js';
import { UdpSocketDrops, type KernelDropsReading, type UdpSocketDropsOptions } from './udp-socket-drops.js';
import { formatHostPort } from './destination-patterns.js';

/*
 *  One UDP collector socket, watched from outside the receive path:
 *
 *   bind ─▶ receive buffer read back ─▶ less than asked? warn once, naming net.core.rmem_max
 *   every intervalMs ─▶ /proc/net/udp[6] row ─▶ state (stats, status, /health, /metrics read it)
 *                                             └▶ drops grew? E_HERALD_KERNEL_DROPS
 *                     └▶ unreadable? warn once, status says "unavailable", carry on
 *
 * A receive thread started again after a crash binds a new socket on the same address
 * (socket.binds() counts them): the watch reads the new one's row (a new inode, its drops
 * from 0) and adds what the old one had dropped, so the total does not fall back and the
 * swap is reported neither as growth nor as an unreadable counter.
 */

/** The status/report group the collector sockets show in (`herald status`). */
export const COLLECTOR_STATUS_GROUP = 'collector';

export interface UdpCollectorWatchOptions {
  /** hep, sip or opensips: the event's `listener` and the status identifier's first word. */
  readonly listener: string;
  /** Config section of the collector, e.g. `hep` or `ingest.opensips`: warnings name `<key>.recv_buffer_bytes`. */
  readonly configKey: string;
  /** The bound socket, created with `recvBufferSize: askedBytes`. */
  readonly socket: BoundUdpSocket;
  readonly askedBytes: number;
  /** How often the kernel's counters are read. */
  readonly intervalMs: number;
  readonly proc?: UdpSocketDropsOptions;
}

export interface UdpCollectorWatch {
  /** `kernel_drops` and `rx_queue_bytes` for the collector's get_statistics counters; empty while unreadable. */
  counters(): Record<string, number>;
  /** Resolves after one more sample (tests and shutdown read a settled counter). */
  sample(): Promise<void>;
  close(): void;
}

function where(state: Pick<UdpCollectorState, 'address' | 'port'>): string {
  return formatHostPort(state.address, state.port);
}

function details(state: UdpCollectorState): string {
  const buffer = `recv buffer ${state.recvBuffer.grantedBytes} bytes (asked ${state.recvBuffer.askedBytes})`;
  if (state.unavailable !== undefined) return `${buffer}; kernel drops unavailable: ${state.unavailable}`;
  if (state.kernelDrops === undefined) return buffer;
  return `${buffer}; kernel drops ${state.kernelDrops}; rx_queue ${state.rxQueueBytes ?? 0} bytes`;
}

export function watchUdpCollector(runtime: Pick<Runtime, 'slots' | 'bus' | 'logger'>, options: UdpCollectorWatchOptions): UdpCollectorWatch {
  const bound = options.socket.address();
  const recvBuffer: RecvBufferGrant = recvBufferGrant(options.socket, options.askedBytes);
  const identity = { address: bound.address, port: bound.port, family: bound.family === 'IPv6' ? 'IPv6' as const : 'IPv4' as const };
  let state: UdpCollectorState = { listener: options.listener, proto: 'udp', address: identity.address, port: identity.port, recvBuffer };
  const shortfall = recvBufferShortfall(recvBuffer, `${options.configKey}.recv_buffer_bytes`, `${options.listener} ${where(state)}`);
  if (shortfall !== undefined) runtime.logger.warn({ listener: options.listener, ...recvBuffer }, shortfall);

  const status = statusRegistryOf(runtime);
  const identifier = `${options.listener} udp ${where(state)}`;
  status.register(COLLECTOR_STATUS_GROUP, identifier, SR_STATUS.READY, details(state));
  const removeState = udpCollectors(runtime.slots).add(() => state);
  /** How many times the socket has been bound; undefined while a receive thread is being started again. */
  const binds = (): number | undefined => (options.socket.binds === undefined ? 1 : options.socket.binds());
  let reader = new UdpSocketDrops(identity, options.proc);
  let readerBinds = binds();
  /** Drops of the sockets this one replaced. */
  let carried = 0;
  /** The total at the last reading that could be read: growth is measured from it, across unreadable samples too. */
  let lastTotal = 0;
  let warned = false;

  const take = (reading: KernelDropsReading): void => {
    if (!reading.ok) {
      state = { ...state, kernelDrops: undefined, rxQueueBytes: undefined, unavailable: reading.reason };
      if (!warned) runtime.logger.warn({ listener: options.listener, reason: reading.reason }, `Kernel drops of the ${identifier} collector cannot be read (${reading.reason}); herald status shows them as unavailable.`);
      warned = true;
    } else {
      const drops = carried + reading.drops;
      const since = drops - lastTotal;
      lastTotal = drops;
      state = { ...state, kernelDrops: drops, rxQueueBytes: reading.rxQueueBytes, unavailable: undefined };
      if (since > 0) {
        runtime.bus.raise(E_HERALD_KERNEL_DROPS, {
          listener: options.listener, proto: 'udp', address: identity.address, port: identity.port,
          drops, drops_since_last: since, rx_queue: reading.rxQueueBytes,
        }, { sourceId: `${options.listener}:udp:${where(state)}` });
      }
    }
    status.setStatus(COLLECTOR_STATUS_GROUP, identifier, SR_STATUS.READY, details(state));
  };

  let inFlight: Promise<void> | undefined;
  let closed = false;
  const sample = (): Promise<void> => {
    inFlight ??= (async () => {
      const at = binds();
      // No socket between a receive thread's death and its successor's bind: the last reading stands.
      if (at === undefined) return;
      if (at !== readerBinds) {
        carried = lastTotal;
        reader = new UdpSocketDrops(identity, options.proc);
        readerBinds = at;
      }
      const reading = await reader.read();
      // A reading taken across a swap may be of no socket: the next sample reads the new one.
      if (!closed && binds() === at) take(reading);
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const timer = setInterval(() => void sample(), options.intervalMs);
  timer.unref();
  void sample();

  return {
    counters: (): Record<string, number> => (state.kernelDrops === undefined ? {} : { kernel_drops: state.kernelDrops, rx_queue_bytes: state.rxQueueBytes ?? 0 }),
    sample,
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      removeState();
      status.unregister(COLLECTOR_STATUS_GROUP, identifier);
    },
  };
}
