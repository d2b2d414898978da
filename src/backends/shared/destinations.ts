import type { NetworkDestination } from '../../bus/backend.js';

/** For transports that touch no host (files, memory): their `destinations`. */
export const NO_DESTINATIONS = (): readonly NetworkDestination[] => [];

/**
 * The host and port a URL socket connects to, as a client library reads it: brackets off an
 * IPv6 host, percent-escapes decoded (so `postgres://%2Ftmp/db`, a Unix socket directory,
 * is `/tmp` and matches no pattern), no host meaning `localhost`, no port `defaultPort`.
 */
export function urlDestination(url: URL, defaultPort: number): NetworkDestination {
  let host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  try {
    host = decodeURIComponent(host);
  } catch {
    // A broken escape stays as it is: it matches no pattern, so it is refused.
  }
  return { host: host === '' ? 'localhost' : host, port: url.port === '' ? defaultPort : Number(url.port) };
}
