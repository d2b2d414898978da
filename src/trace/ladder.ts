import { parseSip, type SipMessage } from './sip/index.js';
import type { TraceRecord } from './store/types.js';

/*
 * Call-flow ordering. Arrival order and capture timestamps both lie a little:
 * Kamailio can mirror the ACK before the 200 OK it acknowledges. So messages
 * are ordered by timestamp, then corrected by what must have caused what:
 *
 *   request  A→P  before  the same request forwarded P→B       (same CSeq and method)
 *   request  X→Y  before  its replies Y→X                       (same CSeq and method)
 *   reply    B→P  before  the same reply forwarded P→A          (same CSeq and status; not 100, which is hop-by-hop)
 *   final reply to INVITE Y→X  before  the ACK X→Y              (same CSeq number)
 *
 * A topological sort that always takes the earliest-stamped message whose
 * causes are all placed gives the order. These rules cannot form a cycle
 * except through a proxy looping to itself; whatever a cycle holds is placed
 * by timestamp at the end.
 */

/** One arrow of the ladder. */
export interface LadderEntry {
  readonly id: number;
  readonly timeUs: number;
  /** µs since the earliest message of the call. */
  readonly relativeUs: number;
  readonly from: string;
  readonly to: string;
  /** `INVITE`, or `200 OK`. */
  readonly label: string;
  readonly kind: 'request' | 'response' | 'unknown';
  readonly cseq: string;
}

export interface Ladder {
  readonly callid: string;
  /** host:port columns, in order of first appearance. */
  readonly columns: readonly string[];
  readonly entries: readonly LadderEntry[];
}

interface Node {
  readonly index: number;
  readonly record: TraceRecord;
  readonly sip: SipMessage | undefined;
  readonly from: string;
  readonly to: string;
  readonly after: number[];
  pending: number;
}

export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Orders a call's rows causally and describes each as an arrow. */
export function buildLadder(callid: string, records: readonly TraceRecord[]): Ladder {
  const sorted = [...records].sort((a, b) => a.timeUs - b.timeUs || a.id - b.id);
  const nodes: Node[] = sorted.map((record, index) => {
    const parsed = parseSip(Buffer.from(record.msg, 'utf8'));
    return {
      index, record, sip: parsed.ok ? parsed.message : undefined,
      from: endpoint(record.fromIp, record.fromPort), to: endpoint(record.toIp, record.toPort), after: [], pending: 0,
    };
  });
  addCausalEdges(nodes);
  const ordered = topologicalOrder(nodes);
  const first = sorted.length === 0 ? 0 : sorted[0].timeUs;
  const columns: string[] = [];
  for (const node of ordered) for (const host of [node.from, node.to]) if (!columns.includes(host)) columns.push(host);
  return { callid, columns, entries: ordered.map((node) => entryOf(node, first)) };
}

function entryOf(node: Node, firstUs: number): LadderEntry {
  const { record, sip } = node;
  const label = sip === undefined
    ? (record.status !== '' ? record.status : record.method || '?')
    : sip.kind === 'request' ? sip.method ?? '?' : `${sip.status} ${sip.reason ?? ''}`.trim();
  return {
    id: record.id,
    timeUs: record.timeUs,
    relativeUs: record.timeUs - firstUs,
    from: node.from,
    to: node.to,
    label,
    kind: sip?.kind ?? 'unknown',
    cseq: sip === undefined ? '' : `${sip.cseqNumber} ${sip.cseqMethod}`,
  };
}

function edge(before: Node, after: Node): void {
  if (before === after || before.after.includes(after.index)) return;
  before.after.push(after.index);
  after.pending++;
}

/** The earliest node in `candidates` that satisfies `test`. */
function earliest(candidates: readonly Node[] | undefined, test: (node: Node) => boolean): Node | undefined {
  return candidates?.find(test);
}

function addCausalEdges(nodes: readonly Node[]): void {
  const requests = new Map<string, Node[]>();
  const responses = new Map<string, Node[]>();
  for (const node of nodes) {
    if (node.sip === undefined) continue;
    const key = `${node.sip.cseqNumber} ${node.sip.cseqMethod}`;
    const group = node.sip.kind === 'request' ? requests : responses;
    group.set(key, [...(group.get(key) ?? []), node]);
  }
  for (const node of nodes) {
    const sip = node.sip;
    if (sip === undefined) continue;
    const key = `${sip.cseqNumber} ${sip.cseqMethod}`;
    if (sip.kind === 'request') {
      const forwardedFrom = earliest(requests.get(key), (r) => r !== node && r.to === node.from && r.from !== node.to);
      if (forwardedFrom !== undefined) edge(forwardedFrom, node);
      if (sip.method === 'ACK') {
        const final = earliest(responses.get(`${sip.cseqNumber} INVITE`), (r) => (r.sip?.status ?? 0) >= 200 && r.from === node.to && r.to === node.from);
        if (final !== undefined) edge(final, node);
      }
      continue;
    }
    const request = earliest(requests.get(key), (r) => r.from === node.to && r.to === node.from);
    if (request !== undefined) edge(request, node);
    if (sip.status !== 100) {
      const forwardedFrom = earliest(responses.get(key), (r) => r !== node && r.sip?.status === sip.status && r.to === node.from && r.from !== node.to);
      if (forwardedFrom !== undefined) edge(forwardedFrom, node);
    }
  }
}

/** Kahn's algorithm, always taking the ready node that came first by timestamp. */
function topologicalOrder(nodes: Node[]): Node[] {
  const ready = new MinHeap();
  for (const node of nodes) if (node.pending === 0) ready.push(node.index);
  const out: Node[] = [];
  const placed = new Array<boolean>(nodes.length).fill(false);
  while (ready.size > 0) {
    const node = nodes[ready.pop()];
    placed[node.index] = true;
    out.push(node);
    for (const next of node.after) if (--nodes[next].pending === 0) ready.push(next);
  }
  for (const node of nodes) if (!placed[node.index]) out.push(node); // a cycle: keep timestamp order
  return out;
}

/** A binary min-heap of indexes: calls can hold thousands of messages. */
class MinHeap {
  readonly #items: number[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(value: number): void {
    const items = this.#items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= items[i]) break;
      [items[parent], items[i]] = [items[i], items[parent]];
      i = parent;
    }
  }

  pop(): number {
    const items = this.#items;
    const top = items[0];
    const last = items.pop() as number;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && items[l] < items[m]) m = l;
        if (r < items.length && items[r] < items[m]) m = r;
        if (m === i) break;
        [items[m], items[i]] = [items[i], items[m]];
        i = m;
      }
    }
    return top;
  }
}
