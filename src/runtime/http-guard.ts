import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/*
 *  Who may reach Herald's HTTP routes (issue 12, point 1).
 *
 *   request ─▶ Origin present? ── must be listed in allowedOrigins (default: none) ──▶ 403
 *           └▶ Host ── listen address, loopback name/literal, or allowedHosts ──────▶ 403
 *
 *  A browser page the operator opens can POST to 127.0.0.1 (no-cors) and can, through DNS
 *  rebinding, read answers under its own host name. Browsers always send Origin on such
 *  cross-site POSTs and always send the page's host name in Host, so checking both closes
 *  both doors; command-line clients send neither Origin nor a foreign Host.
 */

export interface HttpGuardOptions {
  /** Origins (`scheme://host[:port]`) whose pages may call; a request with any other Origin is refused. */
  readonly allowedOrigins: readonly string[];
  /** Host names accepted in `Host` besides the listen address and loopback. */
  readonly allowedHosts: readonly string[];
  /** The host part of the listen address (`127.0.0.1`, `::1`, `0.0.0.0`, a name). */
  readonly listenHost: string;
  /** Which config keys hold the two lists, for the refusal message. */
  readonly keys: { readonly origins: string; readonly hosts: string };
}

/** Sends a refusal in the route's own shape (JSON-RPC on /mi, plain JSON elsewhere). */
export type RefusalReply = (reply: FastifyReply, status: number, message: string) => FastifyReply;

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = ['0.0.0.0', '::'];

/** The host name of a `Host` header value, lower-cased, without port or IPv6 brackets. */
export function hostName(header: string): string {
  const trimmed = header.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']') === -1 ? undefined : trimmed.indexOf(']'));
  const colon = trimmed.indexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

/**
 * Whether a Host name may reach a server listening on `listenHost`. On a wildcard address
 * any IP literal is accepted too: a page can only rebind a *name*, never an address.
 */
export function hostAllowed(name: string, options: Pick<HttpGuardOptions, 'allowedHosts' | 'listenHost'>): boolean {
  const listen = hostName(options.listenHost);
  if (name === listen || LOOPBACK_NAMES.includes(name)) return true;
  if (options.allowedHosts.some((allowed) => allowed.toLowerCase() === name)) return true;
  return WILDCARDS.includes(listen) && isIP(name) !== 0;
}

/**
 * An `onRequest` hook refusing, with HTTP 403 before any body is read, requests whose
 * `Origin` is not allowed or whose `Host` names something else than this server.
 */
export function createHttpGuard(options: HttpGuardOptions, refuse: RefusalReply) {
  const origins = new Set(options.allowedOrigins.map((origin) => origin.toLowerCase().replace(/\/$/, '')));
  return async function httpGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.has(origin.toLowerCase())) {
      await refuse(reply, 403, `Forbidden: Origin "${clip(origin)}" is not in ${options.keys.origins}`);
      return;
    }
    const host = request.headers.host;
    if (host !== undefined && !hostAllowed(hostName(host), options)) {
      await refuse(reply, 403, `Forbidden: Host "${clip(host)}" is not this server's address; add the name to ${options.keys.hosts}`);
    }
  };
}

/**
 * An `onRequest` hook answering 415 before the body is read when `Content-Type` is missing
 * or not one of `accepted` (compared without parameters such as `charset`).
 */
export function createMediaTypeGuard(accepted: (mediaType: string) => boolean, describe: string, refuse: RefusalReply) {
  return async function mediaTypeGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers['content-type'];
    const mediaType = (header ?? '').split(';')[0].trim().toLowerCase();
    if (accepted(mediaType)) return;
    await refuse(reply, 415, `Unsupported media type: ${header === undefined ? 'no Content-Type' : `"${clip(header)}"`}; send ${describe}`);
  };
}

/** `application/json` and structured-syntax `application/…+json`. */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);
}

/** Echoed header values are cut, so a refusal never reflects a megabyte back. */
function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
