import type { Socket } from 'node:net';
import type { Bus } from '../../bus/bus.js';
import { http_request_finished, http_request_redirected } from '../../events/packs/dovecot.js';
import { subscribeAll } from '../threshold-sources/http.js';
import { attachWhileListened, type InstrumentBus } from './attach-while-listened.js';
import { clientConnectionParent, rememberConnection } from './connection-parent.js';
import { httpErrorStatus } from './error-codes.js';
import { newLogical, normalizeUrl, WaitingRequests, type Logical } from './fetch-requests.js';

/*
 * fetch (Node's bundled undici) in two layers:
 *
 *   globalThis.fetch (wrapped): one Logical request per call, waiting for its URL
 *        │
 *        └─ each hop (first request, each redirect) = one undici request, seen on
 *           undici:request:create / client:sendHeaders / request:headers /
 *           request:trailers / request:error, and claimed by URL (fetch-requests.ts).
 *
 * A hop ending in a followed 3xx raises http_request_redirected and makes the
 * logical request wait for the Location; the last hop, a failed hop, or the
 * fetch rejecting raises http_request_finished once, with the totals. Node's
 * fetch never retries, so `attempts` is 1 (0 when fetch refused the URL before
 * any request) and http_request_retried is not raised. Hops nobody claims
 * (undici used directly, or a fetch reference taken before instrumenting) are
 * reported one by one.
 */
interface Hop {
  readonly logical: Logical;
  readonly url: string;
  socket: Socket | undefined;
  readAtStart: number;
  writtenAtStart: number;
  status: number;
  location: string | undefined;
}

interface UndiciRequest {
  readonly origin: string;
  readonly path: string;
}

type Raiser = Pick<Bus, 'raise' | 'enabled'>;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function redirectMode(input: unknown, init: unknown): string {
  const fromInit = (init as { redirect?: unknown } | undefined)?.redirect;
  if (typeof fromInit === 'string') return fromInit;
  return input instanceof Request ? input.redirect : 'follow';
}

function inputUrl(input: unknown): string | undefined {
  if (typeof input === 'string') return normalizeUrl(input);
  if (input instanceof URL) return input.href;
  if (input instanceof Request) return normalizeUrl(input.url);
  return undefined;
}

function params(logical: Logical, status: number) {
  return { status_code: status, attempts: logical.attempts, redirects: logical.redirects, bytes_in: logical.bytesIn, bytes_out: logical.bytesOut };
}

function locationOf(headers: unknown): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === 'location') return String(headers[i + 1]);
  }
  return undefined;
}

/** Follows undici's hops and raises the events; `live` is read at raise time. */
class HopTracker {
  readonly #hops = new WeakMap<object, Hop>();
  readonly #bus: Raiser;
  readonly #waiting: WaitingRequests;
  readonly #live: () => boolean;

  constructor(bus: Raiser, waiting: WaitingRequests, live: () => boolean) {
    this.#bus = bus;
    this.#waiting = waiting;
    this.#live = live;
  }

  /** Raises http_request_finished once for a logical request, as a child of the connection its last hop used. */
  finish(logical: Logical, status: number, socket?: Socket): void {
    if (logical.done) return;
    logical.done = true;
    this.#waiting.forget(logical);
    if (this.#live()) this.#bus.raise(http_request_finished, params(logical, status), { parent: clientConnectionParent(socket) });
  }

  start(request: UndiciRequest): void {
    // Nobody listening: the request is not tracked, and the other handlers skip it.
    if (!this.#live() || !this.#bus.enabled(http_request_finished)) return;
    const raw = `${request.origin}${request.path}`;
    // undici's origin + path is usually already the URL's normal form; parse only when it is not found as is.
    let logical = this.#waiting.claim(raw);
    let url = raw;
    if (logical === undefined) {
      url = normalizeUrl(raw) ?? raw;
      logical = (url === raw ? undefined : this.#waiting.claim(url)) ?? newLogical(false);
    }
    logical.attempts = 1;
    this.#hops.set(request, { logical, url, socket: undefined, readAtStart: 0, writtenAtStart: 0, status: 0, location: undefined });
  }

  sending(request: object, socket: Socket): void {
    const hop = this.#hops.get(request);
    if (hop === undefined) return;
    hop.socket = socket;
    rememberConnection(socket);
    hop.readAtStart = socket.bytesRead;
    hop.writtenAtStart = socket.bytesWritten;
  }

  answered(request: object, statusCode: number, headers: unknown): void {
    const hop = this.#hops.get(request);
    if (hop === undefined) return;
    hop.status = statusCode;
    hop.location = locationOf(headers);
  }

  /** The hop is over: a followed redirect waits for its next hop; anything else finishes. */
  end(request: object, error: unknown): void {
    const hop = this.#hops.get(request);
    if (hop === undefined) return;
    this.#hops.delete(request);
    const { logical, socket } = hop;
    if (socket !== undefined) {
      logical.bytesIn += socket.bytesRead - hop.readAtStart;
      logical.bytesOut += socket.bytesWritten - hop.writtenAtStart;
    }
    if (error !== undefined) return this.finish(logical, httpErrorStatus(error), socket);
    const target = hop.location === undefined ? undefined : normalizeUrl(hop.location, hop.url);
    if (!logical.follow || !REDIRECTS.has(hop.status) || target === undefined) return this.finish(logical, hop.status, socket);
    logical.redirects++;
    this.#waiting.expect(target, logical);
    if (this.#live()) this.#bus.raise(http_request_redirected, params(logical, hop.status), { parent: clientConnectionParent(socket) });
  }

  handlers(): Record<string, (message: unknown) => void> {
    type Message = { request: UndiciRequest; socket: Socket; response: { statusCode: number; headers: unknown }; error: unknown };
    return {
      'undici:request:create': (m) => this.start((m as Message).request),
      'undici:client:sendHeaders': (m) => this.sending((m as Message).request, (m as Message).socket),
      'undici:request:headers': (m) => this.answered((m as Message).request, (m as Message).response.statusCode, (m as Message).response.headers),
      'undici:request:trailers': (m) => this.end((m as Message).request, undefined),
      'undici:request:error': (m) => this.end((m as Message).request, (m as Message).error ?? new Error('request failed')),
    };
  }
}

/** Wraps globalThis.fetch and listens to undici's channels. Returns a disposer. */
export function instrumentFetch(bus: InstrumentBus): () => void {
  let live = true;
  const waiting = new WaitingRequests();
  const tracker = new HopTracker(bus, waiting, () => live);
  const dispose = attachWhileListened(bus, [http_request_finished, http_request_redirected], () => {
    const unsubscribe = subscribeAll(tracker.handlers());
    const original = globalThis.fetch;
    const wrapped: typeof fetch = function fetch(input, init) {
      const url = live && bus.enabled(http_request_finished) ? inputUrl(input) : undefined;
      if (url === undefined) return original(input, init);
      const logical = newLogical(redirectMode(input, init) === 'follow');
      waiting.expect(url, logical);
      return original(input, init).then(
        (response) => {
          // A fetch answered without any HTTP request (data:, blob:) made no hop to report.
          if (logical.attempts === 0) waiting.forget(logical);
          return response;
        },
        (error: unknown) => {
          tracker.finish(logical, httpErrorStatus(error));
          throw error;
        },
      );
    };
    globalThis.fetch = wrapped;
    return () => {
      unsubscribe();
      if (globalThis.fetch === wrapped) globalThis.fetch = original;
    };
  });
  return () => {
    live = false;
    dispose();
  };
}
