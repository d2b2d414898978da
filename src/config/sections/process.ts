import { Type } from '@sinclair/typebox';
import { LEVEL_NAMES } from '../../events/level.js';

/*
 * core_events: events Herald raises about the Node process it runs in
 * (docs/core-events.md). Thresholds keep OpenSIPS's unit, microseconds,
 * because operators compare them with OpenSIPS's exec_*_threshold values.
 */

const thresholdUs = (what: string) => Type.Integer({
  minimum: 0,
  default: 0,
  description: `E_CORE_THRESHOLD when ${what} lasts longer than this many µs; 0 switches the source off.`,
});

export const ThresholdsSection = Type.Object({
  event_loop: thresholdUs('a block of the event loop (lag of a self-rescheduling timer)'),
  dns: thresholdUs('a dns.lookup'),
  http_server: thresholdUs('an incoming HTTP request (headers parsed to response finished)'),
  http_client: thresholdUs('an outgoing http.request or fetch (sent to response body ended)'),
  tcp_write: thresholdUs('a TCP socket write (write() to its callback: until the kernel took the bytes)'),
  store: thresholdUs('a trace-store query'),
}, { additionalProperties: false, default: {}, description: 'Per-source thresholds in µs (E_CORE_THRESHOLD).' });

export const MemorySection = Type.Object({
  heap_threshold_percent: Type.Integer({
    minimum: 0, maximum: 100, default: 0,
    description: 'E_CORE_PKG_THRESHOLD: V8 heap used against the old-generation limit, in percent (OpenSIPS event_pkg_threshold). 0 disables.',
  }),
  rss_threshold_percent: Type.Integer({
    minimum: 0, maximum: 100, default: 0,
    description: 'E_CORE_SHM_THRESHOLD: process RSS against the cgroup memory limit (else total memory), in percent (OpenSIPS event_shm_threshold). 0 disables.',
  }),
  sample_interval_ms: Type.Integer({ minimum: 10, default: 1000, description: 'How often memory usage is sampled.' }),
}, { additionalProperties: false, default: {}, description: 'Memory thresholds.' });

export const AutoscaleSection = Type.Object({
  profile: Type.String({
    default: '',
    description: 'OpenSIPS-style profile for the SIP parse worker pool: "scale up to N on X% for C cycles within W [scale down to M on Y% for D cycles]". Empty: no pool.',
  }),
  cycle_ms: Type.Integer({ minimum: 10, default: 1000, description: 'Length of one auto-scaling cycle (OpenSIPS auto_scaling_cycle, here in ms).' }),
}, { additionalProperties: false, default: {}, description: 'Worker auto-scaling (E_CORE_PROC_AUTO_SCALE).' });

export const InstrumentSection = Type.Object({
  http: Type.Boolean({ default: false, description: 'Raise http_request_finished (and _redirected/_retried) for outgoing http.request and fetch calls.' }),
  net: Type.Boolean({ default: false, description: 'Raise client_/server_connection_connected/_disconnected for TCP connections.' }),
  dns: Type.Boolean({ default: false, description: 'Raise dns_request_started/_finished for dns.lookup.' }),
}, { additionalProperties: false, default: {}, description: 'Dovecot-style instrumentation of Node\'s http, net and dns.' });

/** Core events about the Herald process itself (docs/core-events.md). */
export const CoreEventsSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Raise core events about this process.' }),
  thresholds_us: ThresholdsSection,
  threshold_extra_length: Type.Integer({ minimum: 0, default: 256, description: 'E_CORE_THRESHOLD "extra" is cut to this many characters.' }),
  memory: MemorySection,
  autoscale: AutoscaleSection,
  tcp_disconnect: Type.Boolean({ default: true, description: 'Raise E_CORE_TCP_DISCONNECT when a TCP connection of this process closes.' }),
  log_event_enabled: Type.Boolean({ default: false, description: 'Raise E_CORE_LOG for Herald\'s own log lines (OpenSIPS log_event_enabled).' }),
  log_event_level: Type.Union(LEVEL_NAMES.map((l) => Type.Literal(l)), {
    default: 'trace',
    description: 'Lowest level that raises E_CORE_LOG, any level name or alias (docs/filters.md "Levels"); the logger\'s own level applies first (trace: no extra filter, as OpenSIPS log_event_level_filter 0).',
  }),
  log_prefix: Type.String({ default: '', description: 'Value of E_CORE_LOG "prefix" (OpenSIPS log_prefix).' }),
  instrument: InstrumentSection,
}, { additionalProperties: false, default: {} });
