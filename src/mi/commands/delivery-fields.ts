import type { SubscriberInfo } from '../../bus/subscription.js';

/**
 * A subscriber's delivery counters as `get_statistics` and `subscribers_list` show them: mode, delivered,
 * retries, failed, dropped and, at-least-once only, the spool's bytes and the oldest unacknowledged event's age.
 */
export function deliveryFields(info: SubscriberInfo) {
  return {
    mode: info.mode,
    delivered: info.delivered,
    retries: info.retries,
    failed: info.failed,
    dropped: info.dropped,
    ...(info.spoolBytes !== undefined ? { spool_bytes: info.spoolBytes, spool_oldest_age_ms: info.spoolOldestAgeMs ?? 0 } : {}),
  };
}
