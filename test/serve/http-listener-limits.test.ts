import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import test, { type TestContext } from 'node:test';
import { startTestDaemon } from '../mi/helpers.js';
import { rawExchange } from '../helpers/raw-http.js';

/*
 *  Issue 15: the HTTP ingest listener (on by default) and the metrics scrape port had none of
 *  the MI's limits (issue 12 point 9): a client that never finished its headers held a
 *  connection for good, and enough of them used up every file descriptor.
 */

interface Listener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** A request line and headers for this listener, without the blank line that ends them. */
  readonly head: string;
  /** Whether its route reads a body (GET /metrics answers without waiting for one). */
  readonly readsBody: boolean;
}

/** Starts a daemon with the HTTP ingest listener and the scrape port, both with `limits`; returns both. */
async function listeners(t: TestContext, limits: Record<string, number>): Promise<Listener[]> {
  const d = await startTestDaemon(t, {
    extra: {
      ingest: { http: { enabled: true, listen: '127.0.0.1:0', ...limits }, opensips: { enabled: false } },
      metrics: { listen: '127.0.0.1:0', ...limits },
    },
  });
  const ingest = new URL(d.daemon.runtime.slots.get('ingest.http.url') as string);
  const metrics = new URL(d.announced.find((line) => line.startsWith('metrics '))?.slice('metrics '.length) ?? '');
  return [
    { name: 'ingest', host: ingest.hostname, port: Number(ingest.port), head: 'POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json', readsBody: true },
    { name: 'metrics', host: metrics.hostname, port: Number(metrics.port), head: 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1', readsBody: false },
  ];
}

test('HTTP ingest and the scrape port: headers or a body that stall get 408 and the connection is closed', async (t) => {
  for (const listener of await listeners(t, { headers_timeout_ms: 300, request_timeout_ms: 300 })) {
    const [headers, body] = await Promise.all([
      rawExchange(listener, `${listener.head}\r\n`, 10_000),
      listener.readsBody ? rawExchange(listener, `${listener.head}\r\nContent-Length: 100\r\n\r\n{"partial`, 10_000) : undefined,
    ]);
    assert.match(headers, /^HTTP\/1\.1 408 [^]*\r\nConnection: close\r\n/, `${listener.name}: stalled headers`);
    if (body !== undefined) assert.match(body, /^HTTP\/1\.1 408 /, `${listener.name}: stalled body`);
    assert.match(headers.slice(headers.indexOf('\r\n\r\n')), /did not arrive in time/);
  }
});

test('HTTP ingest and the scrape port: connections beyond max_connections are closed at accept', async (t) => {
  for (const listener of await listeners(t, { max_connections: 2 })) {
    const holders = await Promise.all([0, 1].map(() => new Promise<Socket>((resolve) => {
      const socket = connect(listener, () => resolve(socket));
    })));
    t.after(() => { for (const socket of holders) socket.destroy(); });
    const refused = await rawExchange(listener, `${listener.head}\r\nContent-Length: 0\r\n\r\n`, 10_000);
    assert.equal(refused, '', `${listener.name}: the third connection got no answer`);
    for (const socket of holders) socket.destroy();
    // The server sees the closes on its own time: wait until a connection is answered again.
    let answered = '';
    while (answered === '') answered = await rawExchange(listener, `${listener.head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 10_000);
    assert.match(answered, /^HTTP\/1\.1 \d{3} /, `${listener.name}: served again`);
  }
});
