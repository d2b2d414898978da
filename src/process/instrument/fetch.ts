import { AsyncLocalStorage } from 'node:async_hooks';
import type { Socket } from 'node:net';
import type { Bus } from '../../bus/bus.js';
import { http_request_finished, http_request_redirected } from '../../events/packs/dovecot.js';
import { subscribeAll } from '../threshold-sources/http.js';
import { httpErrorStatus } from './error-codes.js';

/*
 * fetch (Node's bundled undici) in two layers:
 *
 *   globalThis.fetch (wrapped) ── AsyncLocalStorage: one Logical request per call
 *        │
 *        └─ each hop (first try, redirect, retry) = one undici request, seen on
 *           undici:request:create / client:sendHeaders / request:headers /
 *           request:trailers / request:error; `create` runs inside the caller's
 *           async context, so a hop finds its Logical request there.
 *
 * A hop ending in a followed 3xx raises http_request_redirected; the last hop,
 * a failed hop, or the fetch rejecting raises http_request_finished once, with
 * the totals. Node's fetch never retries, so `attempts` is 1 (0 when the URL
 * was refused before any request) and http_request_retried is not raised. Hops
 * outside a wrapped fetch (undici used directly, or a fetch reference taken
 * before instrumenting) are reported one by one.
 */
interface Logical {
  readonly follow: boolean;
  attempts: number;
  redirects: number;
  bytesIn: number;
  bytesOut: number;
  done: boolean;
}

interface Hop {
  readonly logical: Logical | undefined;
  socket: Socket | undefined;
  readAtStart: number;
  writtenAtStart: number;
  status: number | undefined;
  location: boolean;
}

type Raiser = Pick<Bus, 'raise'>;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const current = new AsyncLocalStorage<Logical>();

function redirectMode(input: unknown, init: unknown): string {
  const fromInit = (init as { redirect?: unknown } | undefined)?.redirect;
  if (typeof fromInit === 'string') return fromInit;
  const fromRequest = input instanceof Request ? input.redirect : undefined;
  return fromRequest ?? 'follow';
}

function params(logical: Logical, status: number) {
  return { status_code: status, attempts: logical.attempts, redirects: logical.redirects, bytes_in: logical.bytesIn, bytes_out: logical.bytesOut };
}

function finish(bus: Raiser, logical: Logical, status: number): void {
  if (logical.done) return;
  logical.done = true;
  bus.raise(http_request_finished, params(logical, status));
}

function hasLocation(headers: unknown): boolean {
  if (!Array.isArray(headers)) return false;
  for (let i = 0; i < headers.length; i += 2) if (String(headers[i]).toLowerCase() === 'location') return true;
  return false;
}

/** Adds the hop's socket traffic to its logical request. */
function settleBytes(hop: Hop, logical: Logical): void {
  if (hop.socket === undefined) return;
  logical.bytesIn += hop.socket.bytesRead - hop.readAtStart;
  logical.bytesOut += hop.socket.bytesWritten - hop.writtenAtStart;
  hop.socket = undefined;
}

function hopHandlers(bus: Raiser, live: () => boolean) {
  const hops = new WeakMap<object, Hop>();
  const startHop = (request: object) => {
    let logical = current.getStore();
    if (logical?.done) logical = undefined;
    if (logical !== undefined) logical.attempts = 1;
    hops.set(request, { logical, socket: undefined, readAtStart: 0, writtenAtStart: 0, status: undefined, location: false });
  };
  const endHop = (request: object, error: unknown) => {
    const hop = hops.get(request);
    if (hop === undefined) return;
    hops.delete(request);
    const logical = hop.logical ?? { follow: false, attempts: 1, redirects: 0, bytesIn: 0, bytesOut: 0, done: false };
    settleBytes(hop, logical);
    if (!live()) return;
    if (error !== undefined) {
      finish(bus, logical, httpErrorStatus(error));
      return;
    }
    const status = hop.status ?? 0;
    if (logical.follow && REDIRECTS.has(status) && hop.location) {
      logical.redirects++;
      bus.raise(http_request_redirected, params(logical, status));
      return;
    }
    finish(bus, logical, status);
  };
  return {
    'undici:request:create': (message: unknown) => startHop((message as { request: object }).request),
    'undici:client:sendHeaders': (message: unknown) => {
      const { request, socket } = message as { request: object; socket: Socket };
      const hop = hops.get(request);
      if (hop === undefined) return;
      hop.socket = socket;
      hop.readAtStart = socket.bytesRead;
      hop.writtenAtStart = socket.bytesWritten;
    },
    'undici:request:headers': (message: unknown) => {
      const { request, response } = message as { request: object; response: { statusCode: number; headers: unknown } };
      const hop = hops.get(request);
      if (hop === undefined) return;
      hop.status = response.statusCode;
      hop.location = hasLocation(response.headers);
    },
    'undici:request:trailers': (message: unknown) => endHop((message as { request: object }).request, undefined),
    'undici:request:error': (message: unknown) => {
      const { request, error } = message as { request: object; error: unknown };
      endHop(request, error ?? new Error('request failed'));
    },
  };
}

/** Wraps globalThis.fetch and listens to undici's channels. Returns a disposer. */
export function instrumentFetch(bus: Raiser): () => void {
  let live = true;
  const unsubscribe = subscribeAll(hopHandlers(bus, () => live));
  const original = globalThis.fetch;
  const wrapped: typeof fetch = function fetch(input, init) {
    if (!live) return original(input, init);
    const mode = redirectMode(input, init);
    const logical: Logical = { follow: mode === 'follow', attempts: 0, redirects: 0, bytesIn: 0, bytesOut: 0, done: false };
    return current.run(logical, () => original(input, init)).catch((error: unknown) => {
      finish(bus, logical, httpErrorStatus(error));
      throw error;
    });
  };
  globalThis.fetch = wrapped;
  return () => {
    live = false;
    unsubscribe();
    if (globalThis.fetch === wrapped) globalThis.fetch = original;
  };
}
