import type { BackendContext, BackendFactory, NetworkDestination } from '../../bus/backend.js';
import type { SocketAddress } from '../../bus/socket.js';
import { HeraldError } from '../../errors/herald-error.js';
import { parseBrokerUrl, type BrokerUrl } from '../shared/broker-url.js';
import { socketOptions } from '../shared/socket-schema.js';
import { compileTopicTemplate } from '../shared/topic-template.js';
import { MqttBackend } from './mqtt-backend.js';
import { MqttOptionsSchema } from './schema.js';

/** What an event's value may not put into a topic: a level separator, MQTT's wildcards, NUL. */
const UNSAFE_IN_TOPIC_VALUE = /[/+#\0]/g;

function brokerUrl(address: SocketAddress): BrokerUrl {
  return parseBrokerUrl(address.socket, address.transport, address.address, address.transport === 'mqtts' ? 8883 : 1883, 'mqtts');
}

function create(address: SocketAddress, ctx: BackendContext): MqttBackend {
  const url = brokerUrl(address);
  if (/[+#\0]/.test(url.path.replace(/\{[^{}]*\}/g, ''))) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${address.socket}: a topic to publish to cannot hold the wildcards + or #`);
  }
  const topic = compileTopicTemplate(address.socket, url.path, UNSAFE_IN_TOPIC_VALUE);
  const options = socketOptions(address.socket, MqttOptionsSchema, address.options);
  return new MqttBackend({ socket: address.socket, url, topic, options, ctx });
}

function destinations(address: SocketAddress): readonly NetworkDestination[] {
  const { host, port } = brokerUrl(address);
  return [{ host, port }];
}

const description = 'MQTT publish with QoS 1 (0/2 as options), a topic template, clean or persistent session (docs/backends/mqtt.md).';

/** `mqtt://[user[:password]@]host[:port]/topic-template[?qos=1&…]` (docs/backends/mqtt.md). */
export const mqttBackend: BackendFactory = { transport: 'mqtt', description, destinations, create };
/** The same over TLS. */
export const mqttsBackend: BackendFactory = { transport: 'mqtts', description, destinations, create };
