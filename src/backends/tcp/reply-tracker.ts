import { HeraldError } from '../../errors/herald-error.js';

/** How one reliable batch ended: every reply in (some may be errors), or given up. */
export type BatchReplies =
  | { readonly complete: true; readonly errors: ReadonlyMap<number, string> }
  | { readonly complete: false; readonly error: Error };

interface Waiting {
  remaining: number;
  readonly errors: Map<number, string>;
  readonly settle: (outcome: BatchReplies) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Matches JSON-RPC replies to the requests of reliable batches by `id`
 * (OpenSIPS event_stream reliable mode: success unless the reply has `error`).
 * Ids are unique per backend, so subscribers sharing the connection do not mix.
 */
export class ReplyTracker {
  #nextId = 1;
  readonly #byId = new Map<number, { readonly waiting: Waiting; readonly index: number }>();
  /** Replies whose id matched nothing (late, after a timeout, or invented by the peer). */
  unmatched = 0;

  /** Ids for a batch of `count` requests, and a promise of their replies within `timeoutMs`. */
  expect(count: number, timeoutMs: number): { readonly ids: number[]; readonly replies: Promise<BatchReplies> } {
    const ids: number[] = [];
    let waiting!: Waiting;
    const replies = new Promise<BatchReplies>((resolve) => {
      const timer = setTimeout(() => this.#giveUp(waiting, new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `no reply to ${waiting.remaining} request(s) within ${timeoutMs} ms`)), timeoutMs);
      waiting = { remaining: count, errors: new Map(), settle: resolve, timer };
    });
    for (let index = 0; index < count; index++) {
      const id = this.#nextId;
      // JSON-RPC ids stay within OpenSIPS's int.
      this.#nextId = this.#nextId >= 0x7fffffff ? 1 : this.#nextId + 1;
      ids.push(id);
      this.#byId.set(id, { waiting, index });
    }
    if (count === 0) this.#finish(waiting, { complete: true, errors: waiting.errors });
    return { ids, replies };
  }

  /** One parsed reply object from the peer. */
  reply(message: unknown): void {
    const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
    const entry = typeof id === 'number' ? this.#byId.get(id) : undefined;
    if (entry === undefined) {
      this.unmatched++;
      return;
    }
    this.#byId.delete(id as number);
    const error = (message as { error?: unknown }).error;
    if (error !== undefined) entry.waiting.errors.set(entry.index, errorText(error));
    if (--entry.waiting.remaining === 0) this.#finish(entry.waiting, { complete: true, errors: entry.waiting.errors });
  }

  /** The connection broke: every batch still waiting gives up. */
  failAll(error: Error): void {
    for (const waiting of new Set([...this.#byId.values()].map((entry) => entry.waiting))) this.#giveUp(waiting, error);
  }

  #giveUp(waiting: Waiting, error: Error): void {
    for (const [id, entry] of this.#byId) if (entry.waiting === waiting) this.#byId.delete(id);
    this.#finish(waiting, { complete: false, error });
  }

  #finish(waiting: Waiting, outcome: BatchReplies): void {
    clearTimeout(waiting.timer);
    waiting.settle(outcome);
  }
}

function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (message !== undefined) return `${String(code ?? '')} ${String(message)}`.trim();
  }
  return JSON.stringify(error);
}
