import { HeraldError } from '../errors/herald-error.js';
import { createAllowList } from '../runtime/destination-patterns.js';
import { storeKey } from './destinations/create.js';
import type { DestinationSpec } from './tracer-ids.js';

/*
 *  Where trace_start may make the daemon send or connect (issue 12, point 4). Without this,
 *  `trace_start hep:<any host>` mirrored every SIP message (auth headers, SDP) anywhere,
 *  broadcast included, and database URLs turned the daemon into a port scanner.
 *
 *    sip:, hep:      host and port must match a trace.allowed_destinations pattern
 *                    (runtime/destination-patterns.ts, shared with delivery.allowed_destinations)
 *    store URLs      only a store the config names (trace.store, trace.ids)
 *    file:           confined to files.roots by createDestination
 */

export interface DestinationPolicyOptions {
  /** trace.allowed_destinations. */
  readonly allowed: readonly string[];
  /** Stores the config names, as `storeKey(url, table)`. */
  readonly configuredStores: readonly string[];
}

/** Checks a destination created at run time; throws when the config does not allow it. */
export type DestinationCheck = (spec: DestinationSpec) => void;

/**
 * Builds the check `trace_start` runs before anything is opened or resolved.
 * @throws HeraldError HERALD_ERR_CONFIG for a bad pattern (at start, so `herald config` catches it).
 */
export function createDestinationPolicy(options: DestinationPolicyOptions): DestinationCheck {
  const allowList = createAllowList(options.allowed, 'trace.allowed_destinations');
  return (spec) => {
    if (spec.kind === 'sip' || spec.kind === 'hep') {
      if (allowList.allows(spec.host, spec.port)) return;
      throw new HeraldError('HERALD_ERR_NOT_ALLOWED', `Destination ${spec.kind}:${allowList.refusal(spec.host, spec.port)}`);
    }
    if (spec.kind === 'store' && !options.configuredStores.includes(storeKey(spec.url, spec.table))) {
      throw new HeraldError('HERALD_ERR_NOT_ALLOWED',
        'A trace store can only be one the config names (trace.store or a store in trace.ids); add it there and restart');
    }
  };
}
