import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeHep } from '../src/trace/hep/index.js';
import { parseSip } from '../src/trace/sip/index.js';
import { rowsFromSip } from '../src/trace/store/rows.js';
import type { TraceRow } from '../src/trace/store/index.js';

/** The 26 Kamailio HEP datagrams of test/fixtures/hep. */
export function hepFixtures(): Buffer[] {
  const dir = fileURLToPath(new URL('../test/fixtures/hep/', import.meta.url));
  return readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(dir + f));
}

/** What the collector does per packet before the database: decode, parse, build the row. */
export function collectRow(datagram: Buffer): TraceRow | undefined {
  const decoded = decodeHep(datagram);
  if (!decoded.ok) return undefined;
  const p = decoded.packet;
  const parsed = parseSip(p.payload);
  if (!parsed.ok) return undefined;
  return rowsFromSip(parsed.message, p.payload.toString('utf8'), {
    timeUs: p.timeSec * 1e6 + p.timeUsec, direction: '', fromProto: 'udp', fromIp: p.srcIp, fromPort: p.srcPort,
    toProto: 'udp', toIp: p.dstIp, toPort: p.dstPort, captureId: p.captureId, node: '', users: [], attrs: null,
  })[0];
}

function startOfTodayUtcMs(): number {
  const DAY_MS = 86_400_000;
  return Math.floor(Date.now() / DAY_MS) * DAY_MS;
}

/**
 * `count` rows shaped like real traffic: the fixture messages, ~9 per call, each
 * call with its own random Call-ID (so the call-id index takes random inserts,
 * as it does in production), source addresses spread over a /16, time rising.
 * By default they start at today's 00:00 UTC: PostgreSQL stores hold day
 * partitions from today on, and COPY into a day without one fails.
 */
export function trafficRows(count: number, startUs = startOfTodayUtcMs() * 1000): TraceRow[] {
  const templates = hepFixtures().map(collectRow).filter((row): row is TraceRow => row !== undefined);
  const rows: TraceRow[] = new Array<TraceRow>(count);
  let callid = '';
  for (let i = 0; i < count; i++) {
    if (i % 9 === 0) callid = `${randomBytes(12).toString('hex')}@10.${(i >> 8) & 0xff}.${i & 0xff}.1`;
    const template = templates[i % templates.length];
    rows[i] = { ...template, callid, timeUs: startUs + i * 10, fromIp: `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}` };
  }
  return rows;
}
