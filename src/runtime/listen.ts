import { isIP } from 'node:net';
import { HeraldError } from '../errors/herald-error.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `host:port` (`[::1]:8888` for IPv6). Port 0 asks the OS for a free port.
 * @throws HeraldError HERALD_ERR_CONFIG naming the key.
 */
export function parseListen(text: string, key = 'mi.listen'): ListenAddress {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text.trim()) ?? /^([^:\s]+):(\d+)$/.exec(text.trim());
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || !Number.isInteger(port) || port > 65535) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${key} "${text}" must be host:port (e.g. 127.0.0.1:8888 or [::1]:8888)`);
  }
  return { host: match[1], port };
}

/**
 * Whether a listen host only accepts connections from this machine. Anything that
 * is not literally loopback (a hostname, 0.0.0.0, ::) counts as exposed: the safe side.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * A listener that could not bind, as HERALD_ERR_LISTEN naming the config key, the
 * address and the OS reason (EADDRINUSE, EACCES…), so a busy port is never mistaken
 * for a config typo. Every service that listens reports a bind failure through this.
 */
export function listenError(key: string, address: string, error: unknown): HeraldError {
  const message = error instanceof Error ? error.message : String(error);
  const osCode = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = typeof osCode === 'string' && !message.includes(osCode) ? `${osCode} ${message}` : message;
  return new HeraldError('HERALD_ERR_LISTEN', `Cannot listen on ${key} ${address}: ${reason}`, { cause: error });
}

/** `http://host:port`, bracketing IPv6 hosts. */
export function httpBase(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
