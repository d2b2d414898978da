/**
 * The logical requests of wrapped fetch() calls, and the hops waiting to be
 * claimed by them. A fetch call announces the URL its first hop will have;
 * a followed redirect announces the Location it resolves to. The next undici
 * request for that URL claims the logical request (first come, first served).
 *
 * Why not AsyncLocalStorage: on Node 20 it runs on promise hooks, which tax
 * every promise in the process (fetch is all promises: +25% CPU per call in
 * bench/instrument.ts). Matching by URL is free; its one blind spot is two
 * fetches of the same URL in flight at once, whose counters may be swapped.
 */
export interface Logical {
  readonly follow: boolean;
  attempts: number;
  redirects: number;
  bytesIn: number;
  bytesOut: number;
  done: boolean;
  /** The URL this request waits to be claimed under, while it waits. */
  waitingFor: string | undefined;
}

export function newLogical(follow: boolean): Logical {
  return { follow, attempts: 0, redirects: 0, bytesIn: 0, bytesOut: 0, done: false, waitingFor: undefined };
}

/** `new URL(x).href`, or undefined when it is not a URL. */
export function normalizeUrl(url: string, base?: string): string | undefined {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}

export class WaitingRequests {
  readonly #byUrl = new Map<string, Logical[]>();

  /** `logical` will be claimed by the next hop to `url`. */
  expect(url: string, logical: Logical): void {
    this.forget(logical);
    logical.waitingFor = url;
    const queue = this.#byUrl.get(url);
    if (queue === undefined) this.#byUrl.set(url, [logical]);
    else queue.push(logical);
  }

  /** The oldest logical request waiting for `url`, now claimed. */
  claim(url: string): Logical | undefined {
    const queue = this.#byUrl.get(url);
    const logical = queue?.shift();
    if (queue !== undefined && queue.length === 0) this.#byUrl.delete(url);
    if (logical !== undefined) logical.waitingFor = undefined;
    return logical;
  }

  /** Stops waiting (the fetch settled, or it waits elsewhere now). */
  forget(logical: Logical): void {
    const url = logical.waitingFor;
    if (url === undefined) return;
    logical.waitingFor = undefined;
    const queue = this.#byUrl.get(url);
    if (queue === undefined) return;
    const index = queue.indexOf(logical);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.#byUrl.delete(url);
  }

  get size(): number {
    let total = 0;
    for (const queue of this.#byUrl.values()) total += queue.length;
    return total;
  }
}
