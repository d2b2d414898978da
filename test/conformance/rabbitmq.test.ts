import { test } from 'node:test';
import { rabbitmqBackend } from '../../src/backends/rabbitmq/index.js';
import { reachable } from '../../src/testing/services.js';
import { cuttableProxy, RABBIT_HOST, RABBIT_PORT, requireRabbit, testQueue } from '../backends/network/rabbitmq-helpers.js';
import { backendConformance } from './backend-suite.js';

// The suite has no skip of its own: without the broker, one test skips (or fails under HERALD_REQUIRE_SERVICES=1).
if (!await reachable(RABBIT_HOST, RABBIT_PORT)) {
  test('rabbitmq conformance', async (t) => { await requireRabbit(t); });
} else {
  backendConformance({
    name: 'rabbitmq (confirms, through a proxy the test cuts)',
    setup: async (t) => {
      const queue = await testQueue(t);
      const proxy = await cuttableProxy(t);
      return {
        factory: rabbitmqBackend,
        socket: `rabbitmq:127.0.0.1:${proxy.port}/${queue.name}?connect_timeout_ms=300&timeout_ms=1000`,
        received: async () => {
          await queue.drain();
          return queue.taken.map((message) => String((JSON.parse(message.content.toString()) as { params: { extra: unknown } }).params.extra));
        },
        breakRetryable: async () => {
          await proxy.cut();
          return () => proxy.restore();
        },
      };
    },
  });
}
