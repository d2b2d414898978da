import type { Socket as UdpSocket } from 'node:dgram';

/** What a collector asked of the kernel for its UDP receive buffer, and what it got. */
export interface RecvBufferGrant {
  readonly askedBytes: number;
  /** Comparable with `askedBytes`: on Linux half of what SO_RCVBUF reports (see recvBufferGrant). */
  readonly grantedBytes: number;
}

/**
 * Reads back the receive buffer of a bound socket that was created with
 * `recvBufferSize: askedBytes`. Linux caps the request at net.core.rmem_max and then
 * doubles it for its own bookkeeping (socket(7), SO_RCVBUF), so it reports 2× the
 * granted size; halved here so asked and granted compare.
 */
/** A bound UDP socket as far as its watch reads it: on this thread, or a receiver thread's stand-in. */
export type BoundUdpSocket = Pick<UdpSocket, 'address' | 'getRecvBufferSize'> & {
  /**
   * A receiver thread's socket is bound again, on the same address, when the thread is
   * started again after a crash: how many times it has been bound so far, undefined while
   * it is not (the thread dead, or being started). Absent: a socket bound once.
   */
  readonly binds?: () => number | undefined;
};

export function recvBufferGrant(socket: BoundUdpSocket, askedBytes: number, platform: string = process.platform): RecvBufferGrant {
  const reported = socket.getRecvBufferSize();
  return { askedBytes, grantedBytes: platform === 'linux' ? Math.floor(reported / 2) : reported };
}

/** The warning to log when the kernel granted less than asked, naming the sysctl; undefined when it granted enough. */
export function recvBufferShortfall(grant: RecvBufferGrant, key: string, where: string): string | undefined {
  if (grant.grantedBytes >= grant.askedBytes) return undefined;
  const asked = grant.askedBytes;
  return `${key}: asked ${asked} bytes for the UDP receive buffer of ${where}, the kernel granted ${grant.grantedBytes} `
    + `(capped by net.core.rmem_max); bursts beyond it are dropped by the kernel. Raise the cap: sysctl -w net.core.rmem_max=${asked} `
    + `(to keep it across reboots: echo 'net.core.rmem_max=${asked}' > /etc/sysctl.d/60-herald.conf)`;
}
