import { hostname } from 'node:os';
import { validateTopics } from 'mqtt';
import { HeraldError } from '../../errors/herald-error.js';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { publishedBrokerIntake } from '../broker/published-kit.js';
import { shownUrl } from '../broker/shown-url.js';
import { TopicSubscriber } from './topic-subscriber.js';

async function startIngestMqtt(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.mqtt;
  if (!config.enabled) return undefined;
  if (config.topic === '') throw new HeraldError('HERALD_ERR_CONFIG', 'ingest.mqtt.topic: the topic filter to subscribe must be named when ingest.mqtt.enabled is true');
  if (validateTopics([config.topic]) !== null) {
    throw new HeraldError('HERALD_ERR_CONFIG', `ingest.mqtt.topic: "${config.topic}" is not a topic filter (\`+\` takes a whole level, \`#\` only the last, e.g. herald/+/events or herald/#)`);
  }
  const shown = shownUrl(config.url, 'ingest.mqtt.url', 'mqtt://127.0.0.1:1883');
  const clientId = config.client_id === '' ? `herald-ingest-${hostname()}` : config.client_id;
  const { kit, unpublish } = publishedBrokerIntake(runtime, 'mqtt', `${shown} topic ${config.topic} client ${clientId}`, config);
  const subscriber = new TopicSubscriber({
    url: config.url, topic: config.topic, clientId, clean: config.clean, connectTimeoutMs: config.connect_timeout_ms,
    reconnectMs: config.reconnect_ms, retryMs: config.retry_ms, intake: kit, logger: runtime.logger,
  });
  subscriber.start();
  runtime.announce(`ingest mqtt ${shown} topic ${config.topic}`);
  let closing: Promise<void> | undefined;
  const close = (wait: boolean) => (closing ??= (wait ? subscriber.close() : subscriber.destroy()).finally(unpublish));
  return { name: 'ingest-mqtt', close: () => close(true), destroy: () => close(false) };
}

/** Subscribes `ingest.mqtt.topic` with a persistent session, acknowledging each message once the bus has it (docs/ingest.md). */
export const startIngestMqttService = defineService({
  name: 'ingest-mqtt',
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestMqtt,
});
