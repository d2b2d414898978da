import { isIP } from 'node:net';
import { HeraldError } from '../errors/herald-error.js';

/**
 * Trace ids in OpenSIPS's form: `[name]uri`, where the uri says where each copy
 * goes. Several entries with one name form one multi-destination id.
 *
 *   [db]sqlite:                       the store (sqlite:[PATH], postgres://…, mysql://…; `;table=NAME` optional)
 *   [dup]sip:10.0.0.5:5888            raw UDP duplicate (Kamailio's duplicate_uri)
 *   [homer]hep:10.0.0.9:9060;transport=tcp;version=3   HEPv3 mirror
 *   [log]file:/var/log/herald/sip.trace               OpenSIPS's text file format
 *
 * OpenSIPS's `[name]uri=…;table=…` spelling is accepted too.
 */
export type DestinationSpec =
  | { readonly kind: 'store'; readonly url: string; readonly table?: string }
  | { readonly kind: 'sip'; readonly host: string; readonly port: number }
  | { readonly kind: 'hep'; readonly host: string; readonly port: number; readonly transport: 'udp' | 'tcp'; readonly version: 3 }
  | { readonly kind: 'file'; readonly path: string };

export interface TraceIdSpec {
  readonly name: string;
  readonly uri: string;
  readonly destination: DestinationSpec;
}

const ID = /^\[([A-Za-z0-9_.:-]{1,64})\](.+)$/s;

function bad(text: string, why: string): never {
  throw new HeraldError('HERALD_ERR_CONFIG', `Invalid trace id "${text}": ${why}`);
}

/**
 * Parses `[name]uri`.
 * @throws HeraldError HERALD_ERR_CONFIG naming what is wrong.
 */
export function parseTraceId(text: string): TraceIdSpec {
  const match = ID.exec(text.trim());
  if (match === null) bad(text, 'expected [name]uri, e.g. [homer]hep:10.0.0.9:9060;transport=udp');
  const uri = match[2].startsWith('uri=') ? match[2].slice(4) : match[2];
  return { name: match[1], uri, destination: parseDestination(uri, text) };
}

/** Parses a destination uri (the part after `[name]`). */
export function parseDestination(uri: string, context = uri): DestinationSpec {
  if (uri.startsWith('sip:')) return { kind: 'sip', ...hostPort(uri.slice(4).split(';')[0], 5060, context) };
  if (uri.startsWith('hep:')) return parseHep(uri.slice(4), context);
  if (uri.startsWith('file:')) {
    const path = uri.slice(5);
    if (path === '') bad(context, 'file: needs a path');
    return { kind: 'file', path };
  }
  if (/^(sqlite:|postgres(ql)?:\/\/|mysql:\/\/|mariadb:\/\/)/.test(uri)) {
    const [url, ...params] = uri.split(';');
    const table = params.map((p) => /^table=(.+)$/.exec(p.trim())?.[1]).find((t) => t !== undefined);
    return table === undefined ? { kind: 'store', url } : { kind: 'store', url, table };
  }
  bad(context, 'the uri must start with sip:, hep:, file:, sqlite:, postgres://, postgresql://, mysql:// or mariadb://');
}

function parseHep(rest: string, context: string): DestinationSpec {
  const [address, ...params] = rest.split(';');
  let transport: 'udp' | 'tcp' = 'udp';
  for (const param of params) {
    const [key, value = ''] = param.trim().split('=');
    if (key === 'transport') {
      if (value !== 'udp' && value !== 'tcp') bad(context, `transport=${value}: only udp and tcp are supported`);
      transport = value;
    } else if (key === 'version') {
      if (value !== '3') bad(context, `version=${value}: Herald sends HEPv3 only (it decodes v1/v2)`);
    } else if (key !== '') {
      bad(context, `unknown hep parameter "${key}" (known: transport, version)`);
    }
  }
  return { kind: 'hep', ...hostPort(address, 9060, context), transport, version: 3 };
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`. */
export function hostPort(text: string, defaultPort: number, context: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) {
    if (isIP(text) === 6) return { host: text, port: defaultPort };
    bad(context, `"${text}" is not host[:port]`);
  }
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) bad(context, `port ${match[2]} is not 1..65535`);
  return { host: match[1], port };
}
