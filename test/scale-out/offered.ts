import { once } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import pg from 'pg';
import { newEventId } from '../../src/events/event-id.js';
import { encodeHep3 } from '../../src/trace/hep/encode.js';

/*
 * What the scale-out tests offer the collectors and count in PostgreSQL: HEP packets
 * (one SIP request each, a fresh Call-ID per packet, so each must end as exactly one
 * sip_trace row) and event records with ids of their own (each must end as one
 * herald_events row).
 */

/** One HEPv3 packet carrying an INVITE with `callId`. */
export function hepPacket(callId: string, n: number): Buffer {
  const sip = [
    `INVITE sip:bob${n}@10.0.0.2 SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK' + n.toString(16),
    `From: <sip:alice@10.0.0.1>;tag=a${n}`,
    `To: <sip:bob${n}@10.0.0.2>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
  const nowMs = Date.now();
  return encodeHep3({
    srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 5060, dstPort: 5060,
    timeSec: Math.floor(nowMs / 1000), timeUsec: (nowMs % 1000) * 1000, captureId: 7, payload: sip,
  });
}

/** Sends packets over one HEP-over-TCP connection (no kernel drops, unlike UDP) and waits until it closed. */
export async function sendHepTcp(port: number, packets: readonly Buffer[]): Promise<void> {
  const socket = tcpConnect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  for (const packet of packets) if (!socket.write(packet)) await once(socket, 'drain');
  socket.end();
  await once(socket, 'close');
}

/** `count` NDJSON event records with fresh ids; returns the body and the ids. */
export function eventRecords(count: number, tag: string): { readonly body: string; readonly ids: string[] } {
  const ids: string[] = [];
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const id = newEventId();
    ids.push(id);
    // A catalogue event: the collector's at-least-once spool keeps typed events only (untyped ones are dropped and counted).
    lines.push(JSON.stringify({ id, type: 'E_CORE_THRESHOLD', level: 'info', params: { source: 'dns', time: n, extra: tag } }));
  }
  return { body: `${lines.join('\n')}\n`, ids };
}

/** POSTs records to a daemon's `/ingest`; throws unless every one was accepted. */
export async function postEvents(ingestUrl: string, body: string): Promise<void> {
  const response = await fetch(`${ingestUrl}/ingest`, { method: 'POST', body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /ingest answered ${response.status}: ${text}`);
}

/** How often each offered Call-ID and event id is in the database. */
export interface StoredCounts {
  /** Call-IDs present once / more than once. */
  readonly rowsOnce: number;
  readonly rowsTwice: number;
  readonly eventsOnce: number;
}

export async function storedCounts(url: string, table: string, callIds: readonly string[], eventIds: readonly string[]): Promise<StoredCounts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = await client.query<{ n: string; c: string }>(
      `SELECT n, count(*) AS c FROM (SELECT count(*) AS n FROM "${table}" WHERE callid = ANY($1) GROUP BY callid) per GROUP BY n`, [callIds],
    ).catch(() => ({ rows: [] }));
    const events = await client.query<{ c: string }>('SELECT count(*) AS c FROM herald_events WHERE id = ANY($1)', [eventIds]).catch(() => ({ rows: [{ c: '0' }] }));
    const by = new Map(rows.rows.map((row) => [Number(row.n), Number(row.c)]));
    const twice = [...by].filter(([n]) => n > 1).reduce((sum, [, c]) => sum + c, 0);
    return { rowsOnce: by.get(1) ?? 0, rowsTwice: twice, eventsOnce: Number(events.rows[0].c) };
  } finally {
    await client.end();
  }
}
