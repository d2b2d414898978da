import { HeraldError } from '../errors/herald-error.js';
import { uriUser } from './sip/index.js';
import type { TracedMessage } from './message.js';

export type FilterKind = 'caller' | 'callee' | 'ip';

export interface FilterCondition {
  readonly kind: FilterKind;
  readonly value: string;
}

const FILTER = /^(caller|callee|ip)=(.+)$/s;

/**
 * Parses trace_start filters (`caller=alice`, `callee=bob`, `ip=10.0.0.1`).
 * @throws HeraldError HERALD_ERR_INVALID_PARAMS for anything else.
 */
export function parseFilters(filters: readonly string[]): FilterCondition[] {
  return filters.map((text) => {
    const match = FILTER.exec(text.trim());
    if (match === null) throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Invalid trace filter "${text}": use caller=USER, callee=USER or ip=ADDRESS`);
    return { kind: match[1] as FilterKind, value: match[2] };
  });
}

/**
 * OpenSIPS's dynamic-trace filters: every condition must hold for a request
 * (caller = From user, callee = Request-URI user, ip = source IP). Once a
 * request matches, its Call-ID is remembered so the replies and the rest of
 * the call follow it to the destination. The memory is bounded: the oldest
 * calls are forgotten first.
 */
export class CallFilter {
  readonly conditions: readonly FilterCondition[];
  readonly #calls = new Map<string, true>();
  readonly #maxCalls: number;

  constructor(conditions: readonly FilterCondition[], maxCalls = 10_000) {
    this.conditions = conditions;
    this.#maxCalls = maxCalls;
  }

  matches(message: TracedMessage): boolean {
    if (this.conditions.length === 0) return true;
    const callId = message.sip.callId;
    if (this.#calls.has(callId)) return true;
    if (message.sip.kind !== 'request' || !this.conditions.every((c) => holds(c, message))) return false;
    this.#calls.set(callId, true);
    if (this.#calls.size > this.#maxCalls) this.#calls.delete(this.#calls.keys().next().value as string);
    return true;
  }

  /** The filters as given, for status output. */
  describe(): string[] {
    return this.conditions.map((c) => `${c.kind}=${c.value}`);
  }
}

function holds(condition: FilterCondition, message: TracedMessage): boolean {
  switch (condition.kind) {
    case 'caller':
      return message.sip.fromUser === condition.value;
    case 'callee':
      return uriUser(message.sip.requestUri ?? '') === condition.value;
    case 'ip':
      return message.src.ip === condition.value;
  }
}
