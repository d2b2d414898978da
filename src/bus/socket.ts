import { HeraldError } from '../errors/herald-error.js';

/** A subscriber socket, `transport:address[?option=value&…]`, as in OpenSIPS. */
export interface SocketAddress {
  /** The socket exactly as given, trimmed. Subscriptions are keyed by it. */
  readonly socket: string;
  readonly transport: string;
  readonly address: string;
  readonly options: Readonly<Record<string, string>>;
}

const TRANSPORT = /^[a-z][a-z0-9_+.-]*$/;

/**
 * Splits a socket into transport, address and query options. URL-shaped sockets
 * (`postgres://…`, `http://…`) keep `//` in the address; the backend parses further.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function parseSocket(input: string): SocketAddress {
  const socket = input.trim();
  const colon = socket.indexOf(':');
  if (colon <= 0) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket "${input}" must look like transport:address (e.g. jsonl:/var/log/herald/events.log)`);
  }
  const transport = socket.slice(0, colon).toLowerCase();
  if (!TRANSPORT.test(transport)) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket "${input}": "${transport}" is not a transport name`);
  }
  const rest = socket.slice(colon + 1);
  const question = rest.indexOf('?');
  const address = question === -1 ? rest : rest.slice(0, question);
  if (address.length === 0) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket "${input}" has no address after "${transport}:"`);
  }
  // No prototype: `?__proto__=x` must arrive as an option named "__proto__" (refused as unknown),
  // not be swallowed by Object.prototype's setter (issue 12, point 14).
  const options: Record<string, string> = Object.create(null) as Record<string, string>;
  if (question !== -1) {
    for (const [key, value] of new URLSearchParams(rest.slice(question + 1))) options[key] = value;
  }
  return Object.freeze({ socket, transport, address, options: Object.freeze(options) });
}
