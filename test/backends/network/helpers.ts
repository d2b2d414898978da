import { createSocket } from 'node:dgram';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { defineEvent } from '../../../src/events/define.js';
import { param } from '../../../src/events/params.js';

/** Test events: one with params of several kinds, one without params. */
export const Blocked = defineEvent({
  name: 'E_TEST_NET_BLOCKED', pack: 'test', category: 'test', level: 'warning', description: 'An address was blocked.',
  params: { ip: param.ip('who'), count: param.int('how often'), note: param.string('why').optional(), ok: param.bool('flag').optional() },
});
export const Bare = defineEvent({
  name: 'E_TEST_NET_BARE', pack: 'test', category: 'test', level: 'info', description: 'No params.', params: {},
});

type Cleanup = { after(fn: () => Promise<void> | void): void };

/** A UDP listener on loopback: each datagram in arrival order. */
export async function udpReceiver(t: Cleanup): Promise<{ readonly port: number; next(): Promise<Buffer>; readonly received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  const waiters: Array<(b: Buffer) => void> = [];
  let read = 0;
  socket.on('message', (message) => {
    received.push(message);
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(received[read++]);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    port: socket.address().port,
    received,
    next: () => (read < received.length ? Promise.resolve(received[read++]) : new Promise((resolve) => waiters.push(resolve))),
  };
}

export interface TcpPeer {
  readonly port: number;
  /** Every byte received, across connections, in order. */
  text(): string;
  /** Requests parsed from the stream. */
  readonly requests: Array<Record<string, unknown>>;
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP listener that splits back-to-back JSON objects as an OpenSIPS event_stream
 * consumer must, and answers each request through `answer` (undefined: no reply).
 */
export async function tcpPeer(
  t: Cleanup,
  answer: (request: Record<string, unknown>) => object | undefined = () => undefined,
  port = 0,
): Promise<TcpPeer> {
  const { createServer } = await import('node:net');
  const { JsonObjectSplitter } = await import('../../../src/runtime/json-object-splitter.js');
  const chunks: Buffer[] = [];
  const requests: Array<Record<string, unknown>> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const sockets = new Set<NetSocket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const objects = new JsonObjectSplitter(1 << 20);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      for (const piece of objects.push(chunk)) {
        if (!piece.ok) continue;
        const request = JSON.parse(piece.text) as Record<string, unknown>;
        requests.push(request);
        const reply = answer(request);
        if (reply !== undefined) socket.write(JSON.stringify(reply));
      }
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });
  t.after(() => (server.listening ? close() : undefined));
  return {
    port: (server.address() as AddressInfo).port,
    text: () => Buffer.concat(chunks).toString(),
    requests,
    waitForRequests: (count) => (requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close,
  };
}

export interface HttpHit {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly connection: number;
}

/** An HTTP server on loopback answering each request with `respond` (default 204). */
export async function httpPeer(
  t: Cleanup,
  respond: (hit: HttpHit, count: number) => { status: number; headers?: Record<string, string>; body?: string } = () => ({ status: 204 }),
  port = 0,
): Promise<{ readonly url: string; readonly hits: HttpHit[]; waitForHits(count: number): Promise<void>; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const hits: HttpHit[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const connections = new WeakMap<object, number>();
  let connectionCount = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (!connections.has(request.socket)) connections.set(request.socket, ++connectionCount);
      const hit = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString(), connection: connections.get(request.socket) ?? 0 };
      hits.push(hit);
      const answer = respond(hit, hits.length);
      response.writeHead(answer.status, answer.headers).end(answer.body);
      for (const waiter of [...waiters]) {
        if (hits.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  t.after(() => (server.listening ? close() : undefined));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close,
    hits,
    waitForHits: (count) => (hits.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
  };
}
