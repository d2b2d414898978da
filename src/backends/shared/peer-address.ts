import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HeraldError } from '../../errors/herald-error.js';

/** Where a network backend sends: `host:port`, `[v6]:port`, and for `tcp:` an optional `/method`. */
export interface PeerAddress {
  readonly host: string;
  readonly port: number;
  /** The text after `/`, or undefined. */
  readonly path: string | undefined;
}

const PEER = /^(?:\[([^\]]+)\]|([^:/[\]\s]+)):(\d{1,5})(?:\/(.*))?$/;

/**
 * Parses a socket's address part. `allowPath` admits the `/method` tail of `tcp:`.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function parsePeerAddress(socket: string, address: string, allowPath: boolean): PeerAddress {
  const match = PEER.exec(address);
  const port = match === null ? Number.NaN : Number(match[3]);
  const path = match?.[4];
  if (match === null || port < 1 || port > 65535 || (path !== undefined && (!allowPath || path === ''))) {
    const shape = allowPath ? 'host:port[/method]' : 'host:port';
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: the address must be ${shape} with a port from 1 to 65535 (e.g. 127.0.0.1:8090 or [::1]:8090)`);
  }
  return { host: match[1] ?? match[2], port, path };
}

/**
 * The IP to send to: a literal as it is, a name resolved once (at open, so a
 * name that does not resolve fails the subscribe loudly instead of every send).
 * @throws HeraldError HERALD_ERR_BAD_SOCKET when the name does not resolve.
 */
export async function resolvePeer(socket: string, host: string): Promise<{ readonly address: string; readonly family: 4 | 6 }> {
  const literal = isIP(host);
  if (literal !== 0) return { address: host, family: literal as 4 | 6 };
  try {
    const found = await lookup(host);
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (error) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: cannot resolve "${host}" (${(error as Error).message})`, { cause: error });
  }
}
