import type { DestinationCheck } from '../bus/backend.js';
import { HeraldError } from '../errors/herald-error.js';
import { createAllowList } from './destination-patterns.js';

/** The config key that confines run-time subscribers. */
export const SUBSCRIBER_DESTINATIONS_KEY = 'delivery.allowed_destinations';

/**
 * The bus's DestinationCheck for run-time subscriptions (issue 13): every host:port the
 * socket's backend declares must match delivery.allowed_destinations. The refusal names
 * the MI param and the key, and shows the host and port only (a database URL's password
 * stays out of the answer).
 * @throws HeraldError HERALD_ERR_CONFIG for a bad pattern, at start.
 */
export function subscriberDestinationCheck(patterns: readonly string[]): DestinationCheck {
  const allowList = createAllowList(patterns, SUBSCRIBER_DESTINATIONS_KEY);
  return (_socket, destinations) => {
    for (const { host, port } of destinations) {
      if (allowList.allows(host, port)) continue;
      throw new HeraldError('HERALD_ERR_NOT_ALLOWED',
        `Param "socket": ${allowList.refusal(host, port)}; add it to ${SUBSCRIBER_DESTINATIONS_KEY} and restart, or subscribe it in herald.yaml`);
    }
  };
}
