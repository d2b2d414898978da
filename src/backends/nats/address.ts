import { HeraldError } from '../../errors/herald-error.js';
import { parsePeerAddress } from '../shared/peer-address.js';

/** Where `nats:` publishes when the socket names no server. */
export const DEFAULT_NATS_SERVER = { host: '127.0.0.1', port: 4222 } as const;

export interface NatsAddress {
  readonly host: string;
  readonly port: number;
  /** The subject with `{type}`, `{category}`, `{source}`, `{level}` placeholders. */
  readonly subject: string;
}

/** A subject template: tokens of letters, digits, `_`, `-`, `$` and placeholders, joined by `.`; no wildcards. */
const SUBJECT = /^(?:[A-Za-z0-9_$-]|\{[a-z]+\})+(?:\.(?:[A-Za-z0-9_$-]|\{[a-z]+\})+)*$/;

/**
 * `nats:subject.template` (server 127.0.0.1:4222) or `nats://host:port/subject.template`.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function parseNatsAddress(socket: string, address: string): NatsAddress {
  let server: { host: string; port: number } = DEFAULT_NATS_SERVER;
  let subject = address;
  if (address.startsWith('//')) {
    const slash = address.indexOf('/', 2);
    if (slash === -1) throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: expected nats://host:port/subject.template`);
    server = parsePeerAddress(socket, address.slice(2, slash), false);
    subject = address.slice(slash + 1);
  }
  if (!SUBJECT.test(subject)) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET',
      `Socket ${socket}: "${subject}" is not a NATS subject template (tokens joined by ".", no spaces or wildcards, e.g. herald.{category}.{type})`);
  }
  return { host: server.host, port: server.port, subject };
}

/** The server as nats.js takes it (`[v6]:port` for IPv6). */
export function natsServer(address: { readonly host: string; readonly port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/**
 * The `servers=host:port,…` option: more nodes of the same cluster.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET naming the bad entry.
 */
export function clusterServers(socket: string, list: string): Array<{ readonly host: string; readonly port: number }> {
  if (list === '') return [];
  return list.split(',').map((entry) => {
    const { host, port } = parsePeerAddress(`${socket} (servers=${entry})`, entry, false);
    return { host, port };
  });
}
