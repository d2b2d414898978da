import { deliveryFields } from './delivery-fields.js';
import { defineCommand, type MiCallContext, type MiCommand } from '../../runtime/mi/command.js';
import type { EventStreamStats } from '../event-stream.js';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';

export interface StatsCommandDeps {
  /** The live stream's own counters. */
  readonly streamStats: () => EventStreamStats;
}

function statisticsOf(ctx: MiCallContext, deps: StatsCommandDeps) {
  const stats = ctx.bus.statistics();
  const ingest = ctx.slots.get(INGEST_COUNTERS_SLOT);
  return {
    totals: stats.totals,
    events: stats.events,
    subscribers: stats.subscribers.map((info) => ({
      socket: info.socket,
      ...(info.event !== undefined ? { event: info.event } : { filter: info.filter }),
      matched: info.matched,
      ...deliveryFields(info),
      queue_depth: info.queueDepth,
      ...(info.lastError !== undefined ? { last_error: info.lastError } : {}),
    })),
    ingest: ingest?.snapshot() ?? {},
    stream: deps.streamStats(),
  };
}

/** `get_statistics`: bus counters per event and per subscriber, queue depths, ingest and stream counters. */
export function statsCommands(deps: StatsCommandDeps): MiCommand[] {
  return [
    defineCommand({
      name: 'get_statistics',
      aliases: ['core:get_statistics'],
      description: 'Events raised, delivered, dropped and failed per event; delivered, dropped, failed, retries, queue depth and, for at-least-once subscribers, spool bytes and the oldest unacknowledged event\'s age (`spool_oldest_age_ms`) per subscriber; totals (with `refused`: run-time subscriptions refused by delivery.allowed_destinations); ingest and live-stream counters.',
      params: [],
      example: {
        result: {
          totals: { raised: 12, delivered: 12, dropped: 0, failed: 0, queued: 0, discarded: { unsubscribe: 0, expiry: 0, shutdown: 0 }, refused: 0 },
          events: { E_CORE_LOG: { raised: 12, dropped: 0 } },
          subscribers: [{
            socket: 'flatstore:/var/log/herald/log.csv', event: 'E_CORE_LOG', matched: 12, delivered: 12,
            dropped: 0, failed: 0, retries: 0, queue_depth: 0, mode: 'at-most-once',
          }],
          ingest: { hep: { packets: 340, errors: 0 } },
          stream: { clients: 1, sent: 12, dropped: 0 },
        },
      },
      handler: (_params, ctx) => statisticsOf(ctx, deps),
    }),
  ];
}
