import type { Socket } from 'node:net';
import type { IngestContext } from '../ingest/context.js';
import type { Intake } from '../ingest/intake.js';
import type { ParseOutcome } from '../ingest/outcome.js';
import { listenPair, type ListenPair } from '../listen-pair.js';
import { JsonObjectSplitter } from '../../runtime/json-object-splitter.js';
import { parseOpensipsDatagram } from './parse-datagram.js';
import { parseOpensipsJsonRpc, type RequestId } from './parse-jsonrpc.js';

/*
 *  OpenSIPS event ingest, UDP and TCP on one port (default 127.0.0.1:8089):
 *
 *   udp: datagram ─▶ busy? drop+count ─▶ JSON-RPC or ≤3.0 text ─▶ intake ─▶ bus
 *   tcp: bytes ─▶ JsonObjectSplitter ─▶ JSON-RPC ─▶ intake ─▶ bus
 *                        └ request with an id ─▶ reply {"result":"OK"} / {"error":…}
 *        busy? pause reading, look again every pollMs (TCP carries the back-pressure)
 */

export interface OpensipsListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly ctx: IngestContext;
  readonly intake: Intake;
  /** Largest stream object held while it arrives; a larger one is skipped and counted too_large. */
  readonly maxObjectBytes: number;
  readonly maxConnections: number;
  /** UDP receive buffer asked of the kernel. */
  readonly recvBufferBytes?: number;
  /** How often a paused connection looks at the bus again. */
  readonly pollMs?: number;
}

function reply(socket: Socket, id: RequestId, outcome: ParseOutcome): void {
  const body = outcome.ok
    ? { jsonrpc: '2.0', result: 'OK', id }
    : { jsonrpc: '2.0', error: { code: -32602, message: `${outcome.rejection.reason}: ${outcome.rejection.message}` }, id };
  socket.write(JSON.stringify(body));
}

function serveStream(socket: Socket, options: OpensipsListenerOptions): void {
  const { intake, ctx } = options;
  const splitter = new JsonObjectSplitter(options.maxObjectBytes);
  const pollMs = options.pollMs ?? 20;
  let paused = false;
  const resumeWhenFree = (): void => {
    if (socket.destroyed) return;
    if (intake.busy()) {
      setTimeout(resumeWhenFree, pollMs).unref();
      return;
    }
    paused = false;
    socket.resume();
  };
  socket.on('data', (chunk: Buffer) => {
    intake.stats.received(chunk.length);
    for (const piece of splitter.push(chunk)) {
      if (!piece.ok) {
        intake.stats.rejected(piece.reason);
        continue;
      }
      const { outcome, requestId } = parseOpensipsJsonRpc(piece.text, ctx);
      intake.take(outcome);
      if (requestId !== undefined) reply(socket, requestId, outcome);
    }
    // Objects of this chunk are raised; stop reading more until the bus has room.
    if (!paused && intake.busy()) {
      paused = true;
      socket.pause();
      setTimeout(resumeWhenFree, pollMs).unref();
    }
  });
  socket.on('end', () => {
    for (const piece of splitter.end()) if (!piece.ok) intake.stats.rejected(piece.reason);
    socket.end();
  });
  socket.on('error', () => undefined);
}

/** Binds the pair; resolves once both listen. */
export function listenOpensips(options: OpensipsListenerOptions): Promise<ListenPair> {
  const { intake, ctx } = options;
  return listenPair(options.host, options.port, {
    datagram: (data) => {
      intake.stats.received(data.length);
      // UDP cannot push back: a datagram the bus cannot take is dropped, and counted.
      if (intake.busy()) intake.stats.rejected('busy');
      else intake.take(parseOpensipsDatagram(data, ctx).outcome);
    },
    connection: (socket) => serveStream(socket, options),
    refused: () => intake.stats.rejected('busy'),
  }, options.maxConnections, options.recvBufferBytes);
}
