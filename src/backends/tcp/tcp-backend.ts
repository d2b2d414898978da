import type { Socket } from 'node:net';
import { WRITE_OK, type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { JsonObjectSplitter } from '../../runtime/json-object-splitter.js';
import { jsonRpcBody, type JsonRpcBodyOptions } from '../shared/json-rpc-body.js';
import type { PeerAddress } from '../shared/peer-address.js';
import { ReplyTracker } from './reply-tracker.js';
import type { TcpOptions } from './schema.js';
import { StreamConnection } from './stream-connection.js';

/** A reply larger than this is not a JSON-RPC reply: the connection is dropped. */
const MAX_REPLY_BYTES = 1 << 20;

export interface TcpBackendSpec {
  readonly socket: string;
  readonly peer: PeerAddress;
  readonly options: TcpOptions;
  readonly ctx: BackendContext;
}

/**
 * OpenSIPS event_stream: back-to-back JSON-RPC objects on one persistent
 * connection. Plain mode counts an event delivered when the kernel took its
 * bytes; `reliable` sends requests with ids and counts it delivered only on a
 * reply without `error`. A dead or silent peer costs at most `timeout_ms` per
 * attempt; the bus retries with backoff, and raise() never waits.
 */
export class TcpBackend implements Backend {
  readonly #spec: TcpBackendSpec;
  readonly #body: JsonRpcBodyOptions;
  readonly #replies = new ReplyTracker();
  readonly #connection: StreamConnection;
  #replyObjects = new JsonObjectSplitter(MAX_REPLY_BYTES);
  #closed = false;

  constructor(spec: TcpBackendSpec) {
    this.#spec = spec;
    const { options, peer } = spec;
    this.#body = { method: peer.path, eventParam: options.event_param === '' ? undefined : options.event_param, eventId: options.event_id };
    this.#connection = new StreamConnection({
      socket: spec.socket, host: peer.host, port: peer.port, connectTimeoutMs: options.connect_timeout_ms,
      onData: (chunk) => this.#onData(chunk),
      onClose: (error) => {
        this.#replyObjects = new JsonObjectSplitter(MAX_REPLY_BYTES);
        this.#replies.failAll(error);
      },
    });
  }

  /**
   * Nothing to acquire up front: like OpenSIPS, a subscribe succeeds while the peer
   * is down. The signal aborting is destroy: the connection is cut, waits give up.
   */
  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => {
      this.#closed = true;
      const error = new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} was destroyed`);
      this.#connection.drop(error);
      this.#replies.failAll(error);
    }, { once: true });
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closed) return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) };
    let socket: Socket;
    try {
      socket = await this.#connection.get();
    } catch (error) {
      return { status: 'retryable', error: toError(error) };
    }
    return this.#spec.options.reliable ? this.#writeReliable(socket, batch) : this.#writePlain(socket, batch);
  }

  async #writePlain(socket: Socket, batch: readonly HeraldEvent[]): Promise<WriteResult> {
    let data = '';
    for (const event of batch) data += jsonRpcBody(event, this.#body);
    const error = await this.#send(socket, data);
    return error === undefined ? WRITE_OK : { status: 'retryable', error };
  }

  async #writeReliable(socket: Socket, batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const { ids, replies } = this.#replies.expect(batch.length, this.#spec.options.timeout_ms);
    let data = '';
    for (let i = 0; i < batch.length; i++) data += jsonRpcBody(batch[i], this.#body, ids[i]);
    const sendError = await this.#send(socket, data);
    if (sendError !== undefined) this.#replies.failAll(sendError);
    const outcome = await replies;
    if (!outcome.complete) {
      // A peer that does not answer in time cannot be trusted with the next batch either.
      this.#connection.drop(outcome.error);
      return { status: 'retryable', error: outcome.error };
    }
    if (outcome.errors.size === 0) return WRITE_OK;
    const [first] = outcome.errors.values();
    const error = new HeraldError('HERALD_ERR_PEER_REFUSED', `${this.#spec.socket}: the peer answered ${outcome.errors.size} event(s) with an error (first: ${first})`);
    return { status: 'ok', refused: { indexes: [...outcome.errors.keys()], error } };
  }

  /** Resolves once the kernel took `data`, or with the error that stopped it (timeout included). */
  #send(socket: Socket, data: string): Promise<Error | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const error = new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `${this.#spec.socket}: the peer took no data for ${this.#spec.options.timeout_ms} ms`);
        this.#connection.drop(error);
        resolve(error);
      }, this.#spec.options.timeout_ms);
      socket.write(data, (error) => {
        clearTimeout(timer);
        resolve(error ?? undefined);
      });
    });
  }

  #onData(chunk: Buffer): void {
    const pieces = this.#replyObjects.push(chunk);
    // Bytes between replies are skipped; a reply past the limit drops the connection at once,
    // since a peer that never closes its brace would otherwise hold the connection forever.
    const tooLarge = this.#replyObjects.overLimit || pieces.some((piece) => !piece.ok && piece.reason === 'too_large');
    for (const piece of pieces) {
      if (!piece.ok) continue;
      try {
        this.#replies.reply(JSON.parse(piece.text));
      } catch {
        this.#replies.reply(undefined);
      }
    }
    if (tooLarge) {
      const error = new Error(`a JSON object from the peer exceeds ${MAX_REPLY_BYTES} bytes`);
      this.#spec.ctx.logger.warn({ err: error, socket: this.#spec.socket }, 'The stream peer sent something that is not a JSON-RPC reply; reconnecting.');
      this.#connection.drop(error);
    }
  }

  async flush(): Promise<void> {}

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#connection.close();
    }
    return Promise.resolve();
  }
}
