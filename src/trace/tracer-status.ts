import type { DestinationCounters, TraceDestination } from './destinations/types.js';
import type { CallFilter } from './tracer-filters.js';

/** One destination in `trace` status output. */
export interface DestinationStatus extends DestinationCounters {
  readonly type: TraceDestination['type'];
  readonly uri: string;
}

/** One trace id in `trace` status output. */
export interface TraceIdStatus {
  readonly id: string;
  readonly state: 'on' | 'off';
  /** Created by trace_start (true) or by configuration (false). */
  readonly dynamic: boolean;
  readonly filters?: string[];
  readonly destinations: DestinationStatus[];
}

/** What the `trace` MI command answers with no params: OpenSIPS's global state plus each id. */
export interface TracerStatus {
  readonly global: 'on' | 'off';
  readonly ids: TraceIdStatus[];
}

export function describeId(id: { readonly name: string; readonly enabled: boolean; readonly filter: CallFilter | undefined; readonly destinations: readonly TraceDestination[] }): TraceIdStatus {
  return {
    id: id.name,
    state: id.enabled ? 'on' : 'off',
    dynamic: id.filter !== undefined,
    ...(id.filter !== undefined ? { filters: id.filter.describe() } : {}),
    destinations: id.destinations.map((d) => ({ type: d.type, uri: d.uri, ...d.counters() })),
  };
}
