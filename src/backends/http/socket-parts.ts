import { HeraldError } from '../../errors/herald-error.js';

const HEADER_PREFIX = 'header.';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Request headers Herald sets itself or that would break the request. */
const RESERVED = new Set(['content-length', 'content-type', 'host', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect']);

export interface HttpSocketParts {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** The query options left for the schema. */
  readonly options: Readonly<Record<string, string>>;
}

function refuse(socket: string, why: string): never {
  throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${socket}: ${why}`);
}

/**
 * Splits `http(s)://host[:port]/path?header.Authorization=Bearer%20x&timeout_ms=1000`
 * into the URL, custom headers (`header.NAME`) and Herald's options. The socket's
 * query belongs to Herald: a webhook that needs its own query string cannot be given one.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET
 */
export function httpSocketParts(socket: string, transport: string, address: string, query: Readonly<Record<string, string>>): HttpSocketParts {
  let url: URL | undefined;
  try {
    // WHATWG reads `http:host` as `http://host/`; a webhook socket spells out the `//`.
    if (address.startsWith('//')) url = new URL(`${transport}:${address}`);
  } catch {
    url = undefined;
  }
  if (url === undefined) return refuse(socket, 'is not a URL (e.g. http://127.0.0.1:8080/events)');
  if (url.username !== '' || url.password !== '') refuse(socket, 'credentials in the URL are not sent; use header.Authorization=…');
  if (url.hash !== '') refuse(socket, 'a URL fragment is meaningless for a webhook');
  const headers: Record<string, string> = {};
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith(HEADER_PREFIX)) {
      options[key] = value;
      continue;
    }
    const name = key.slice(HEADER_PREFIX.length);
    if (!TOKEN.test(name)) refuse(socket, `"${key}": a header name must be an HTTP token`);
    if (RESERVED.has(name.toLowerCase())) refuse(socket, `"${key}": Herald sets this header itself`);
    if (/[\r\n\0]/.test(value)) refuse(socket, `"${key}": a header value must not contain CR, LF or NUL`);
    headers[name] = value;
  }
  return { url, headers, options };
}
