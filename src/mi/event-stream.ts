import type { ServerResponse } from 'node:http';
import type { Bus } from '../bus/bus.js';
import type { CompiledFilter } from '../bus/filter/index.js';
import { toError } from '../errors/herald-error.js';
import type { HeraldEvent } from '../events/event.js';
import { JsonLineSerializer } from '../events/serialize-json.js';
import type { Logger } from '../log/logger.js';

export interface EventStreamOptions {
  readonly bus: Bus;
  readonly logger: Logger;
  /** Events held for a client that reads slowly; newer ones are dropped and counted beyond it. */
  readonly bufferEvents: number;
  /** Comment lines keep proxies from closing an idle stream. Default 15 000. */
  readonly heartbeatMs?: number;
  /** Clients at once; each costs a tap run on every raise (1,000 non-reading ones cut raise throughput by 80 %). */
  readonly maxClients: number;
}

export interface EventStreamStats {
  readonly clients: number;
  readonly sent: number;
  readonly dropped: number;
}

// The record `jsonl:` writes, times in UTC. Several clients see the same event; serialize it once.
const serializer = new JsonLineSerializer('utc');
const serialized = new WeakMap<HeraldEvent, string>();
function frame(event: HeraldEvent): string {
  let chunk = serialized.get(event);
  if (chunk === undefined) {
    chunk = `data: ${serializer.record(event)}\n\n`;
    serialized.set(event, chunk);
  }
  return chunk;
}

interface Counters {
  sent: number;
  dropped: number;
}

/** One connected client: its tap, its bounded backlog, its heartbeat. */
class StreamClient {
  readonly #response: ServerResponse;
  readonly #limit: number;
  readonly #counters: Counters;
  readonly #backlog: string[] = [];
  #droppedSinceReport = 0;

  constructor(response: ServerResponse, limit: number, counters: Counters) {
    this.#response = response;
    this.#limit = limit;
    this.#counters = counters;
    response.on('drain', () => this.#flush());
  }

  /** Writes now, queues behind a slow reader, or drops and counts when the backlog is full. */
  send(chunk: string): void {
    if (this.#backlog.length === 0 && !this.#response.writableNeedDrain) {
      this.#response.write(chunk);
    } else if (this.#backlog.length < this.#limit) {
      this.#backlog.push(chunk);
    } else {
      this.#droppedSinceReport++;
      this.#counters.dropped++;
      return;
    }
    this.#counters.sent++;
  }

  /** A backed-up stream is not idle, so it gets no heartbeat (and never counts one as a drop). */
  heartbeat(): void {
    if (this.#backlog.length === 0 && !this.#response.writableNeedDrain) this.#response.write(': heartbeat\n\n');
  }

  #flush(): void {
    while (this.#backlog.length > 0 && !this.#response.writableNeedDrain) this.#response.write(this.#backlog.shift() as string);
    if (this.#backlog.length === 0 && this.#droppedSinceReport > 0) {
      this.#response.write(`event: dropped\ndata: ${JSON.stringify({ dropped: this.#droppedSinceReport })}\n\n`);
      this.#droppedSinceReport = 0;
    }
  }
}

/**
 * Server-Sent Events for GET /events/stream. Each client gets its own bus tap and a
 * bounded backlog: a slow reader loses (and is told about) events, it never grows
 * the daemon's memory or slows a raise.
 */
export class EventStreams {
  readonly #options: EventStreamOptions;
  readonly #clients = new Set<() => void>();
  readonly #counters: Counters = { sent: 0, dropped: 0 };

  constructor(options: EventStreamOptions) {
    this.#options = options;
  }

  get maxClients(): number {
    return this.#options.maxClients;
  }

  /** Whether another client would pass maxClients. */
  full(): boolean {
    return this.#clients.size >= this.#options.maxClients;
  }

  stats(): EventStreamStats {
    return { clients: this.#clients.size, sent: this.#counters.sent, dropped: this.#counters.dropped };
  }

  /** Streams matching events to `response` until the client goes away. */
  attach(response: ServerResponse, filter: CompiledFilter | undefined): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`: herald event stream${filter === undefined ? '' : ` (filter ${filter.source})`}\n\n`);
    const client = new StreamClient(response, this.#options.bufferEvents, this.#counters);
    const untap = this.#options.bus.tap((event) => {
      try {
        if (filter === undefined || filter.match(event)) client.send(frame(event));
      } catch (error) {
        // A tap runs inside raise(); it must never throw into the raiser.
        this.#options.logger.warn({ err: toError(error) }, 'Event stream failed to send an event.');
      }
    });
    const heartbeat = setInterval(() => client.heartbeat(), this.#options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    const close = () => {
      untap();
      clearInterval(heartbeat);
      this.#clients.delete(close);
      if (!response.writableEnded) response.end();
    };
    response.once('close', close);
    this.#clients.add(close);
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    for (const close of [...this.#clients]) close();
  }
}
