import { BlockList, isIP } from 'node:net';
import { HeraldError } from '../errors/herald-error.js';
import { storeKey } from './destinations/create.js';
import type { DestinationSpec } from './tracer-ids.js';

/*
 *  Where trace_start may make the daemon send or connect (issue 12, point 4). Without this,
 *  `trace_start hep:<any host>` mirrored every SIP message (auth headers, SDP) anywhere,
 *  broadcast included, and database URLs turned the daemon into a port scanner.
 *
 *    sip:, hep:      host and port must match a trace.allowed_destinations pattern
 *    store URLs      only a store the config names (trace.store, trace.ids)
 *    file:           confined to files.roots by createDestination
 */

/** Default trace.allowed_destinations: this machine only. */
export const LOOPBACK_DESTINATIONS: readonly string[] = ['127.0.0.0/8', '[::1]'];

interface Pattern {
  readonly text: string;
  /** IP patterns match through this list; name patterns by `name`. */
  readonly addresses?: BlockList;
  readonly name?: string;
  /** Whether the pattern names single addresses only (needed for multicast and broadcast). */
  readonly exact: boolean;
  readonly ports: readonly [number, number];
}

function bad(key: string, text: string, why: string): never {
  throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${key} "${text}": ${why}`);
}

function parsePorts(text: string | undefined, key: string, whole: string): readonly [number, number] {
  if (text === undefined || text === '*') return [1, 65535];
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  const low = Number(match?.[1]);
  const high = match?.[2] === undefined ? low : Number(match[2]);
  if (match === null || low < 1 || high > 65535 || low > high) bad(key, whole, 'the port must be N, N-M or * within 1..65535');
  return [low, high];
}

/**
 * Parses one pattern: `HOST[:PORTS]` where HOST is an IPv4 address or CIDR, `[IPv6]` or
 * `[IPv6/prefix]`, a host name (matched by name, never resolved), or `*`; PORTS is `N`,
 * `N-M` or `*` (the default).
 * @throws HeraldError HERALD_ERR_CONFIG naming the key and the pattern.
 */
export function parseDestinationPattern(text: string, key = 'trace.allowed_destinations'): Pattern {
  const match = /^\[([^\]]+)\](?::(.+))?$/.exec(text) ?? /^([^:[\]]+)(?::(.+))?$/.exec(text);
  if (match === null) bad(key, text, 'expected HOST[:PORT], e.g. 10.0.0.0/8:9060 or [::1]:*');
  const ports = parsePorts(match[2], key, text);
  const [host, prefixText] = match[1].split('/');
  if (host === '*') return { text, addresses: everything(), exact: false, ports };
  const family = isIP(host);
  if (family === 0) {
    if (prefixText !== undefined || !/^[A-Za-z0-9.-]+$/.test(host)) bad(key, text, 'not an address, a CIDR or a host name');
    return { text, name: host.toLowerCase(), exact: true, ports };
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const full = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? full : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > full) bad(key, text, `the prefix must be 0..${full}`);
  const addresses = new BlockList();
  addresses.addSubnet(host, prefix, type);
  return { text, addresses, exact: prefix === full, ports };
}

function everything(): BlockList {
  const list = new BlockList();
  list.addSubnet('0.0.0.0', 0, 'ipv4');
  list.addSubnet('::', 0, 'ipv6');
  return list;
}

/** Multicast and limited broadcast: one send reaches many hosts, so only an exact pattern allows them. */
function isGroupAddress(host: string): boolean {
  if (isIP(host) === 4) return host === '255.255.255.255' || Number(host.split('.')[0]) >= 224 && Number(host.split('.')[0]) <= 239;
  return isIP(host) === 6 && /^ff/i.test(host);
}

function matches(pattern: Pattern, host: string, port: number): boolean {
  if (port < pattern.ports[0] || port > pattern.ports[1]) return false;
  const family = isIP(host);
  if (family === 0) return pattern.name === host.toLowerCase();
  if (pattern.addresses === undefined || !pattern.addresses.check(host, family === 4 ? 'ipv4' : 'ipv6')) return false;
  return pattern.exact || !isGroupAddress(host);
}

export interface DestinationPolicyOptions {
  /** trace.allowed_destinations. */
  readonly allowed: readonly string[];
  /** Stores the config names, as `storeKey(url, table)`. */
  readonly configuredStores: readonly string[];
}

/** Checks a destination created at run time; throws when the config does not allow it. */
export type DestinationCheck = (spec: DestinationSpec) => void;

/**
 * Builds the check `trace_start` runs before anything is opened or resolved.
 * @throws HeraldError HERALD_ERR_CONFIG for a bad pattern (at start, so `herald config` catches it).
 */
export function createDestinationPolicy(options: DestinationPolicyOptions): DestinationCheck {
  const patterns = options.allowed.map((text, index) => parseDestinationPattern(text, `trace.allowed_destinations[${index}]`));
  const listed = patterns.length > 0 ? patterns.map((p) => p.text).join(', ') : '(none)';
  return (spec) => {
    if (spec.kind === 'sip' || spec.kind === 'hep') {
      if (patterns.some((pattern) => matches(pattern, spec.host, spec.port))) return;
      const shown = isIP(spec.host) === 6 ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
      throw new HeraldError('HERALD_ERR_NOT_ALLOWED',
        `Destination ${spec.kind}:${shown} is not in trace.allowed_destinations (${listed})`
        + `${isGroupAddress(spec.host) ? '; a multicast or broadcast address must be listed exactly' : ''}`);
    }
    if (spec.kind === 'store' && !options.configuredStores.includes(storeKey(spec.url, spec.table))) {
      throw new HeraldError('HERALD_ERR_NOT_ALLOWED',
        'A trace store can only be one the config names (trace.store or a store in trace.ids); add it there and restart');
    }
  };
}
