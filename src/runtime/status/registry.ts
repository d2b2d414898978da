import { HeraldError } from '../../errors/herald-error.js';
import { E_CORE_SR_STATUS_CHANGED } from '../../events/packs/core.js';
import type { Bus } from '../../bus/bus.js';

/** OpenSIPS's predefined statuses (<0 not ready, >0 ready; 0 is coerced to 1). */
export const SR_STATUS = Object.freeze({
  NO_DATA: -2,
  NOT_READY: -1,
  READY: 1,
  RELOADING_DATA: 2,
  CORE_NONE: -100,
  CORE_TERMINATING: -2,
  CORE_INITIALIZING: -1,
  CORE_RUNNING: 1,
});

export interface StatusReport {
  /** Unix seconds. */
  readonly timestamp: number;
  readonly log: string;
}

export interface IdentifierState {
  readonly name: string;
  readonly status: number;
  readonly details: string;
  readonly reports: readonly StatusReport[];
}

interface MutableIdentifier {
  status: number;
  details: string;
  reports: StatusReport[];
}

export interface StatusRegistryOptions {
  /** Raises E_CORE_SR_STATUS_CHANGED on every change when given. */
  readonly bus?: Pick<Bus, 'raise'>;
  /** Ring-buffer size per identifier; 0 keeps no reports. Default 100. */
  readonly maxReports?: number;
  readonly now?: () => number;
}

/**
 * The status/report registry: groups → identifiers (`main` is the default), each
 * with an integer status, details and a ring buffer of timestamped reports.
 */
export class StatusRegistry {
  readonly #groups = new Map<string, Map<string, MutableIdentifier>>();
  readonly #bus: Pick<Bus, 'raise'> | undefined;
  readonly #maxReports: number;
  readonly #now: () => number;

  constructor(options: StatusRegistryOptions = {}) {
    this.#bus = options.bus;
    this.#maxReports = options.maxReports ?? 100;
    this.#now = options.now ?? Date.now;
  }

  /** Creates the identifier (and its group) if missing; an existing one is left alone. */
  register(group: string, identifier = 'main', status: number = SR_STATUS.NOT_READY, details = ''): void {
    let identifiers = this.#groups.get(group);
    if (identifiers === undefined) {
      identifiers = new Map();
      this.#groups.set(group, identifiers);
    }
    if (!identifiers.has(identifier)) identifiers.set(identifier, { status: coerce(status), details, reports: [] });
  }

  /** Removes an identifier; a group with no identifiers left is removed too. */
  unregister(group: string, identifier = 'main'): boolean {
    const identifiers = this.#groups.get(group);
    const removed = identifiers?.delete(identifier) ?? false;
    if (identifiers !== undefined && identifiers.size === 0) this.#groups.delete(group);
    return removed;
  }

  /** Sets a status; raises E_CORE_SR_STATUS_CHANGED when it differs from the old one. */
  setStatus(group: string, identifier: string, status: number, details = ''): void {
    const state = this.#identifier(group, identifier);
    const old = state.status;
    state.status = coerce(status);
    state.details = details;
    if (old !== state.status) {
      this.#bus?.raise(E_CORE_SR_STATUS_CHANGED, { group, identifier, status: state.status, details, old_status: old });
    }
  }

  report(group: string, identifier: string, log: string): void {
    if (this.#maxReports === 0) return;
    const state = this.#identifier(group, identifier);
    state.reports.push({ timestamp: Math.floor(this.#now() / 1000), log });
    if (state.reports.length > this.#maxReports) state.reports.splice(0, state.reports.length - this.#maxReports);
  }

  /** @throws HeraldError when the group or identifier does not exist. */
  get(group: string, identifier = 'main'): IdentifierState {
    const state = this.#identifier(group, identifier);
    return { name: identifier, status: state.status, details: state.details, reports: [...state.reports] };
  }

  /** "all" aggregation, as OpenSIPS: 1 when every identifier is ≥ 0, else -1. */
  aggregate(group: string): number {
    const identifiers = this.#group(group);
    return [...identifiers.values()].every((state) => state.status >= 0) ? 1 : -1;
  }

  groups(): string[] {
    return [...this.#groups.keys()];
  }

  identifiers(group: string): IdentifierState[] {
    return [...this.#group(group).keys()].map((name) => this.get(group, name));
  }

  hasGroup(group: string): boolean {
    return this.#groups.has(group);
  }

  /** Ready when every identifier of every group is ready (status > 0). */
  ready(): boolean {
    for (const identifiers of this.#groups.values()) {
      for (const state of identifiers.values()) if (state.status < 0) return false;
    }
    return true;
  }

  #group(group: string): Map<string, MutableIdentifier> {
    const identifiers = this.#groups.get(group);
    if (identifiers === undefined) throw new HeraldError('HERALD_ERR_UNKNOWN_STATUS', `Group not found: ${group}`);
    return identifiers;
  }

  #identifier(group: string, identifier: string): MutableIdentifier {
    const state = this.#group(group).get(identifier);
    if (state === undefined) throw new HeraldError('HERALD_ERR_UNKNOWN_STATUS', `Identifier not found: ${group}/${identifier}`);
    return state;
  }
}

function coerce(status: number): number {
  return Math.trunc(status) === 0 ? 1 : Math.trunc(status);
}
