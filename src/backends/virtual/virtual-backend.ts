import { WRITE_OK, type Backend, type WriteResult } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import type { VirtualSocket } from './virtual-socket.js';

interface Child {
  readonly socket: string;
  readonly backend: Backend;
  /** Epoch ms until which this child is skipped after a failure. */
  downUntilMs: number;
}

/**
 * OpenSIPS event_virtual on real delivery results: FAILOVER writes to the first child
 * that is up and falls through on failure; ROUND-ROBIN starts each batch at the next
 * child; PARALLEL writes to every child that is up and succeeds when one did. A child
 * whose write is not ok is skipped for `failover_timeout`. When no child takes the batch
 * it is retryable, so the bus keeps it (and, at-least-once, the spool does).
 */
export class VirtualBackend implements Backend {
  readonly #spec: VirtualSocket;
  readonly #children: Child[];
  readonly #now: () => number;
  #next = 0;
  #closed = false;

  constructor(spec: VirtualSocket, children: readonly Backend[], now: () => number = Date.now) {
    this.#spec = spec;
    this.#children = children.map((backend, index) => ({ socket: spec.children[index], backend, downUntilMs: 0 }));
    this.#now = now;
  }

  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => void this.close(), { once: true });
    await Promise.all(this.#children.map((child) => child.backend.open(signal)));
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closed) return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'virtual socket is closed') };
    const up = this.#up();
    if (this.#spec.policy === 'PARALLEL') return this.#parallel(up, batch);
    const start = this.#spec.policy === 'ROUND-ROBIN' ? this.#next++ % up.length : 0;
    let last: WriteResult | undefined;
    for (let i = 0; i < up.length; i++) {
      const child = up[(start + i) % up.length];
      last = await this.#writeTo(child, batch);
      if (last.status === 'ok') return last;
    }
    return this.#nobody(last);
  }

  async #parallel(up: readonly Child[], batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const results = await Promise.all(up.map((child) => this.#writeTo(child, batch)));
    return results.find((result) => result.status === 'ok') ?? this.#nobody(results[results.length - 1]);
  }

  async #writeTo(child: Child, batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const result = await child.backend.write(batch);
    if (result.status !== 'ok') child.downUntilMs = this.#now() + this.#spec.failoverTimeoutMs;
    return result;
  }

  /** Children not skipped; when every one is, all of them (a batch must go somewhere). */
  #up(): Child[] {
    const now = this.#now();
    const up = this.#children.filter((child) => child.downUntilMs <= now);
    return up.length > 0 ? up : [...this.#children];
  }

  #nobody(last: WriteResult | undefined): WriteResult {
    const why = last !== undefined && last.status !== 'ok' ? last.error.message : 'no child';
    return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `virtual ${this.#spec.policy}: no child took the batch (last: ${why})`) };
  }

  async flush(): Promise<void> {
    await Promise.all(this.#children.map((child) => child.backend.flush()));
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.all(this.#children.map((child) => child.backend.close())).then(() => undefined);
  }

  /** Which children are skipped now, for tests and status. */
  skipped(): string[] {
    const now = this.#now();
    return this.#children.filter((child) => child.downUntilMs > now).map((child) => child.socket);
  }
}
