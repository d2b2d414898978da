import { HeraldError } from '../../errors/herald-error.js';

/** Where and as whom a `rabbitmq:` socket publishes. */
export interface RabbitmqAddress {
  readonly username: string;
  readonly password: string;
  /** As written, IPv6 without brackets; never resolved here. */
  readonly host: string;
  readonly port: number;
  readonly routingKey: string;
}

export const AMQP_PORT = 5672;

/*
 * OpenSIPS's event_rabbitmq socket: `[user[:password]@]host[:port]/routing_key`, guest/guest
 * when no user is given. A `@`, `:` or `/` inside the user or password is written %-escaped.
 */
const ADDRESS = /^(?:([^:@/]*)(?::([^@/]*))?@)?(?:\[([^\]]+)\]|([^:/[\]@\s]+))(?::(\d{1,5}))?\/(.+)$/;

function decoded(socket: string, text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: a broken %-escape in the user or password`);
  }
}

/**
 * Parses the address part of a `rabbitmq:` socket.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function parseRabbitmqAddress(socket: string, address: string): RabbitmqAddress {
  const match = ADDRESS.exec(address);
  const port = match?.[5] === undefined ? AMQP_PORT : Number(match[5]);
  if (match === null || port < 1 || port > 65535) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET',
      `Socket ${socket}: the address must be [user[:password]@]host[:port]/routing_key with a port from 1 to 65535 (e.g. rabbitmq:guest:guest@127.0.0.1:5672/herald)`);
  }
  return {
    username: match[1] === undefined ? 'guest' : decoded(socket, match[1]),
    password: match[2] === undefined ? (match[1] === undefined ? 'guest' : '') : decoded(socket, match[2]),
    host: match[3] ?? match[4],
    port,
    routingKey: match[6],
  };
}
