import type { NetworkDestination } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import { urlDestination } from './destinations.js';

/** A broker socket's URL parts: `redis://:pw@host:port/stream`, `mqtts://user:pw@host/topic`. */
export interface BrokerUrl extends NetworkDestination {
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** The path after the first `/`, decoded: a topic or stream template. */
  readonly path: string;
}

/**
 * Parses `TRANSPORT://[user[:password]@]host[:port]/path` (the address keeps its `//`).
 * `tlsTransport` names the TLS spelling (`mqtts`, `rediss`).
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function parseBrokerUrl(socket: string, transport: string, address: string, defaultPort: number, tlsTransport: string): BrokerUrl {
  let url: URL | undefined;
  try {
    if (address.startsWith('//')) url = new URL(`${transport}:${address}`);
  } catch {
    url = undefined;
  }
  const example = `${transport}://127.0.0.1:${defaultPort}/herald`;
  if (url === undefined || url.hostname === '') throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: is not a URL (e.g. ${example})`);
  if (url.hash !== '') throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: a URL fragment is meaningless here`);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice(1));
  } catch {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: the path is not valid percent-encoding`);
  }
  if (path === '') throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: names no destination after the host (e.g. ${example})`);
  return {
    ...urlDestination(url, defaultPort),
    tls: transport === tlsTransport,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    path,
  };
}
