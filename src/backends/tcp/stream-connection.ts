import { connect, type Socket } from 'node:net';
import { HeraldError } from '../../errors/herald-error.js';

export interface StreamConnectionSpec {
  readonly socket: string;
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  /** Bytes the peer sent (replies in reliable mode). */
  readonly onData: (chunk: Buffer) => void;
  /** The connection ended or broke; whatever waited on it must give up. */
  readonly onClose: (error: Error) => void;
}

/**
 * One persistent TCP connection, opened on first use and again after it breaks.
 * Never blocks: a connect that has not succeeded within its timeout fails, and
 * the caller's batch is retried with the bus's backoff.
 */
export class StreamConnection {
  readonly #spec: StreamConnectionSpec;
  #live: Socket | undefined;
  #connecting: Promise<Socket> | undefined;

  constructor(spec: StreamConnectionSpec) {
    this.#spec = spec;
  }

  /** The live socket, connecting first when there is none. Rejects with HERALD_ERR_PEER_UNAVAILABLE. */
  get(): Promise<Socket> {
    if (this.#live !== undefined) return Promise.resolve(this.#live);
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** Drops the connection (a timeout means the peer cannot be trusted to answer). */
  drop(why: Error): void {
    this.#live?.destroy(why);
  }

  #connect(): Promise<Socket> {
    const { host, port, connectTimeoutMs, socket: name } = this.#spec;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 });
      const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${connectTimeoutMs} ms`)), connectTimeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${name}: cannot connect (${error.message})`, { cause: error }));
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        this.#adopt(socket);
        resolve(socket);
      });
    });
  }

  #adopt(socket: Socket): void {
    this.#live = socket;
    socket.unref();
    socket.on('data', this.#spec.onData);
    let failure: Error | undefined;
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', () => {
      if (this.#live === socket) this.#live = undefined;
      this.#spec.onClose(new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: connection closed${failure ? ` (${failure.message})` : ''}`));
    });
  }

  /** Ends the connection once what was written has gone out. */
  close(): void {
    this.#live?.destroySoon();
  }
}
