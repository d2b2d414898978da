import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './child.js';

/*
 * The recorded Kamailio traffic (test/fixtures/hep: 26 HEPv3 datagrams, 2 calls;
 * test/fixtures/rawsip: 13 raw SIP datagrams, 1 call) replayed with a fresh Call-ID
 * per call: each datagram is a template whose Call-ID bytes are overwritten in place
 * by an id of the same length, so the HEP chunk lengths stay right.
 */

interface Template {
  readonly bytes: Buffer;
  readonly offsets: readonly number[];
  readonly idLength: number;
  /** Which call of the fixture set it belongs to (0-based). */
  readonly call: number;
}

export type TrafficKind = 'hep' | 'sip';

function templates(kind: TrafficKind): Template[] {
  const dir = join(ROOT, 'test/fixtures', kind === 'hep' ? 'hep' : 'rawsip');
  const index = readFileSync(join(dir, 'index.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { file: string; call_id: string });
  const calls: string[] = [];
  return index.map(({ file, call_id: callId }) => {
    const bytes = readFileSync(join(dir, file));
    const needle = Buffer.from(callId);
    const offsets: number[] = [];
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) offsets.push(at);
    if (offsets.length === 0) throw new Error(`${file}: Call-ID ${callId} not found in the datagram`);
    if (!calls.includes(callId)) calls.push(callId);
    return { bytes, offsets, idLength: needle.length, call: calls.indexOf(callId) };
  });
}

/** Datagram number `i` of an endless replay: the fixtures in order, every round with new Call-IDs. */
export function trafficSource(kind: TrafficKind, prefix: string): (i: number) => Buffer {
  const list = templates(kind);
  const callsPerRound = Math.max(...list.map((t) => t.call)) + 1;
  return (i) => {
    const template = list[i % list.length];
    const round = Math.floor(i / list.length);
    const id = `${prefix}${(round * callsPerRound + template.call).toString(36)}`.padStart(template.idLength, 'x').slice(-template.idLength);
    const datagram = Buffer.from(template.bytes);
    for (const offset of template.offsets) datagram.write(id, offset, 'latin1');
    return datagram;
  };
}
