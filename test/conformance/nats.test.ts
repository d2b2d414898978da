import { jetstreamManager } from '@nats-io/jetstream';
import { natsBackend } from '../../src/backends/nats/index.js';
import { privateNats } from '../helpers/private-nats.js';
import { backendConformance } from './backend-suite.js';

let streams = 0;

backendConformance({
  name: 'nats (JetStream)',
  setup: async (t) => {
    const nats = await privateNats(t);
    if (nats === undefined) throw new Error('unreachable: privateNats skipped');
    const stream = `CONF${++streams}`;
    await nats.stream(stream, [`conf${streams}.>`]);
    return {
      factory: natsBackend,
      socket: `nats://${nats.server}/conf${streams}.{category}.{type}?ack_timeout_ms=500&connect_timeout_ms=500`,
      received: async () => {
        // A fresh connection each time: one opened before breakRetryable killed the server may still be
        // reconnecting, and its request timed out in CI (the backend had already written again).
        const jsm = await jetstreamManager(await nats.client());
        const info = await jsm.streams.info(stream);
        const markers: string[] = [];
        for (let seq = 1; seq <= info.state.last_seq; seq++) {
          const message = await jsm.streams.getMessage(stream, { seq });
          if (message !== null) markers.push(String((message.json<{ params: { extra: unknown } }>()).params.extra));
        }
        return markers;
      },
      breakRetryable: async () => {
        await nats.kill();
        return () => nats.start();
      },
    };
  },
});
