import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket as NetSocket } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface FixtureFile {
  readonly file: string;
  readonly bytes: Buffer;
  readonly callId: string;
  readonly firstLine: string;
}

/** The fixtures of one folder (`hep` or `rawsip`), in index order. */
export function loadFixtures(folder: 'hep' | 'rawsip'): FixtureFile[] {
  const index = readFileSync(`${FIXTURES}${folder}/index.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { file: string; call_id: string; first_line: string });
  return index.map((entry) => ({
    file: entry.file,
    bytes: readFileSync(`${FIXTURES}${folder}/${entry.file}`),
    callId: entry.call_id,
    firstLine: entry.first_line,
  }));
}

/** A UDP listener on 127.0.0.1:0 that keeps every datagram. */
export async function udpSink(): Promise<{ port: number; received: Buffer[]; waitFor(n: number): Promise<void>; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (message) => received.push(message));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    received,
    waitFor: (n) => until(() => received.length >= n),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A TCP listener on 127.0.0.1:0 that concatenates everything it receives. */
export async function tcpSink(): Promise<{ port: number; bytes(): Buffer; close(): Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<NetSocket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    bytes: () => Buffer.concat(chunks),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }),
  };
}

/** Polls a condition every 10 ms, failing after a generous bound (a hang, not a timing assertion). */
export async function until(condition: () => boolean | Promise<boolean>, boundMs = 10_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`Condition not met within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
