import { Type } from '@sinclair/typebox';

/** 4 MiB: about 80 ms of 50,000 HEP packets/s of ~1 KB, enough to ride out a pause of the receive loop (docs/trace.md "Tuning the collector"). */
export const DEFAULT_RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/** The options every UDP collector socket takes (HEP, raw SIP, OpenSIPS datagrams). */
export function udpCollectorOptions() {
  return {
    recv_buffer_bytes: Type.Integer({
      minimum: 1024, maximum: 1024 * 1024 * 1024, default: DEFAULT_RECV_BUFFER_BYTES,
      description: 'UDP receive buffer asked of the kernel (SO_RCVBUF). Datagrams that arrive while it is full are dropped by the kernel and counted as `kernel_drops`. '
        + 'The kernel caps it at net.core.rmem_max; a smaller grant is logged once with the sysctl that raises it. Default 4 MiB (see docs/trace.md "Tuning the collector").',
    }),
    kernel_drops_interval_ms: Type.Integer({
      minimum: 100, default: 1000,
      description: 'How often the kernel\'s drop counter of the UDP socket is read (Linux, /proc/net/udp); E_HERALD_KERNEL_DROPS is raised when it grew.',
    }),
  };
}
