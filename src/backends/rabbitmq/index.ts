import type { BackendFactory } from '../../bus/backend.js';
import { socketOptions } from '../shared/socket-schema.js';
import { parseRabbitmqAddress } from './address.js';
import { RabbitmqBackend } from './rabbitmq-backend.js';
import { RabbitmqOptionsSchema } from './schema.js';

/** `rabbitmq:[user[:password]@]host[:port]/routing_key[?exchange=…&…]`: OpenSIPS event_rabbitmq (docs/backends/rabbitmq.md). */
export const rabbitmqBackend: BackendFactory = {
  transport: 'rabbitmq',
  description: 'AMQP 0-9-1 publish with publisher confirms and persistent messages (docs/backends/rabbitmq.md).',
  destinations(address) {
    const { host, port } = parseRabbitmqAddress(address.socket, address.address);
    return [{ host, port }];
  },
  create(address, ctx) {
    const parsed = parseRabbitmqAddress(address.socket, address.address);
    const options = socketOptions(address.socket, RabbitmqOptionsSchema, address.options);
    return new RabbitmqBackend({ socket: address.socket, address: parsed, options, ctx });
  },
};
