import type { BusStatistics } from '../bus/statistics.js';
import type { UdpCollectorState } from '../runtime/udp-collectors.js';
import type { Family, Sample } from './exposition.js';

type EventCounter = 'raised' | 'delivered' | 'dropped' | 'failed';
type SubscriberCounter = 'matched' | 'delivered' | 'dropped' | 'failed' | 'retries';

const EVENT_HELP: Readonly<Record<EventCounter, string>> = {
  raised: 'Raises of the event that had at least one possible listener.',
  delivered: 'Deliveries of the event to subscribers\' backends (one event to two subscribers counts 2).',
  dropped: 'Times a subscriber\'s full queue refused the event.',
  failed: 'Deliveries of the event a backend refused for good.',
};

const SUBSCRIBER_HELP: Readonly<Record<SubscriberCounter, string>> = {
  matched: 'Events the subscription matched.',
  delivered: 'Events written to the subscriber\'s backend.',
  dropped: 'Events dropped because the subscriber\'s queue was full.',
  failed: 'Events the backend refused for good.',
  retries: 'Write retries.',
};

/** Herald's own counters, the numbers get_statistics reads (one source of truth). */
export function busFamilies(stats: BusStatistics): Family[] {
  const events = Object.entries(stats.events);
  const families: Family[] = (Object.keys(EVENT_HELP) as EventCounter[]).map((counter) => ({
    name: `herald_events_${counter}_total`, help: EVENT_HELP[counter], type: 'counter',
    samples: events.map(([event, entry]) => ({ labels: { event }, value: entry[counter] })),
  }));
  const subscribers = stats.subscribers.map((info) => ({ info, labels: { socket: info.socket, target: info.event ?? `filter ${info.filter ?? ''}` } }));
  for (const counter of Object.keys(SUBSCRIBER_HELP) as SubscriberCounter[]) {
    families.push({
      name: `herald_subscriber_${counter}_total`, help: SUBSCRIBER_HELP[counter], type: 'counter',
      samples: subscribers.map(({ info, labels }) => ({ labels, value: info[counter] })),
    });
  }
  families.push({
    name: 'herald_subscriber_queue_depth', help: 'Events waiting in the subscriber\'s queue.', type: 'gauge',
    samples: subscribers.map(({ info, labels }) => ({ labels, value: info.queueDepth })),
  });
  return families;
}

/** The counters sources publish for get_statistics (HEP, raw SIP, trace, kernel drops of the collectors …). */
export function ingestFamilies(snapshot: Readonly<Record<string, Readonly<Record<string, number>>>>): Family[] {
  const samples: Sample[] = Object.entries(snapshot)
    .flatMap(([source, counters]) => Object.entries(counters).map(([counter, value]) => ({ labels: { source, counter }, value })));
  return [{ name: 'herald_ingest', help: 'Counters of the ingest sources, by source and counter name, as get_statistics shows them.', type: 'gauge', samples }];
}

/** Each UDP collector socket's kernel counters (the states herald status and get_statistics show); a socket whose counters cannot be read has no sample. */
export function collectorFamilies(states: readonly UdpCollectorState[]): Family[] {
  const read = states.filter((state) => state.kernelDrops !== undefined);
  const labels = (state: UdpCollectorState) => ({ listener: state.listener, proto: state.proto, address: state.address, port: state.port });
  return [
    {
      name: 'herald_collector_kernel_drops_total', type: 'counter',
      help: 'Datagrams the kernel dropped before the collector read them (receive buffer full), from /proc/net/udp.',
      samples: read.map((state) => ({ labels: labels(state), value: state.kernelDrops ?? 0 })),
    },
    {
      name: 'herald_collector_rx_queue_bytes', type: 'gauge', help: 'Bytes waiting in the collector socket\'s receive queue at the last sample.',
      samples: read.map((state) => ({ labels: labels(state), value: state.rxQueueBytes ?? 0 })),
    },
    {
      name: 'herald_collector_recv_buffer_bytes', type: 'gauge', help: 'UDP receive buffer the kernel granted the collector socket (recv_buffer_bytes, capped by net.core.rmem_max).',
      samples: states.map((state) => ({ labels: labels(state), value: state.recvBuffer.grantedBytes })),
    },
  ];
}
