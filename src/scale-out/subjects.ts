import { natsServer } from '../backends/nats/address.js';
import { parsePeerAddress } from '../backends/shared/peer-address.js';
import type { HeraldConfig } from '../config/schema.js';

/** The JetStream side of the collector and writer roles, as herald.yaml's `scale_out` gives it. */
export type ScaleOutConfig = HeraldConfig['scale_out'];

/** Every subject of the stream: `<prefix>.>`. */
export function streamSubject(config: Pick<ScaleOutConfig, 'subject_prefix'>): string {
  return `${config.subject_prefix}.>`;
}

/** Where a collector publishes trace rows. */
export function traceSubject(config: Pick<ScaleOutConfig, 'subject_prefix'>): string {
  return `${config.subject_prefix}.trace`;
}

/** Where a collector publishes events: a `nats:` subject template. */
export function eventSubjectTemplate(config: Pick<ScaleOutConfig, 'subject_prefix'>): string {
  return `${config.subject_prefix}.ev.{category}.{type}`;
}

/**
 * The subscriber socket a collector publishes its events with: the `nats:` backend on
 * the cluster's servers, JetStream-acknowledged, `Nats-Msg-Id` = event id.
 */
export function collectorEventSocket(config: ScaleOutConfig): string {
  const [first, ...rest] = config.servers;
  const options = [`ack_timeout_ms=${config.ack_timeout_ms}`, `connect_timeout_ms=${config.connect_timeout_ms}`];
  if (rest.length > 0) options.push(`servers=${rest.join(',')}`);
  return `nats://${first}/${eventSubjectTemplate(config)}?${options.join('&')}`;
}

/**
 * `scale_out.servers` as nats.js takes them.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET naming the entry that is not host:port.
 */
export function natsServers(config: Pick<ScaleOutConfig, 'servers'>): string[] {
  return config.servers.map((server, index) => natsServer(parsePeerAddress(`scale_out.servers[${index}]`, server, false)));
}
