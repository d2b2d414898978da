import { HeraldError } from '../../errors/herald-error.js';
import type { WriteResult } from '../../bus/backend.js';

/** A Retry-After the bus honours at most: a server asking for more must not park a subscriber for hours. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text.trim() === '') return undefined;
  const ms = /^\s*\d+\s*$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined;
}

/** 2xx delivered; 408, 429 and 5xx retryable (honouring Retry-After); any other status refused for good. */
export function responseOutcome(socket: string, status: number, retryAfter: string | string[] | undefined, detail: string): WriteResult {
  if (status >= 200 && status < 300) return { status: 'ok' };
  const suffix = detail === '' ? '' : `: ${detail}`;
  if (status === 408 || status === 429 || status >= 500) {
    const error = new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${socket}: HTTP ${status}${suffix}`);
    const after = retryAfterMs(retryAfter, Date.now());
    return after === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs: after };
  }
  return { status: 'failed', error: new HeraldError('HERALD_ERR_PEER_REFUSED', `${socket}: HTTP ${status}${suffix}`) };
}
