import { connectAsync } from 'mqtt';
import { Redis } from 'ioredis';
import { mqttBackend } from '../../src/backends/mqtt/index.js';
import { redisBackend } from '../../src/backends/redis/index.js';
import { privateMosquitto, privateRedis } from '../helpers/private-daemon.js';
import { backendConformance } from './backend-suite.js';

/*
 * The broker backends against brokers of the test's own (a private redis-server and
 * mosquitto per test on free ports), so "broken" is the real thing: the broker is
 * SIGKILLed, and "healed" starts it again on the same port.
 */

type Record = { params?: { extra?: unknown } };
const marker = (body: string): string => String((JSON.parse(body) as Record).params?.extra);

backendConformance({
  name: 'redis (stream)',
  setup: async (t) => {
    const redis = await privateRedis(t);
    if (redis === undefined) throw new Error('unreachable: the test was skipped');
    return {
      factory: redisBackend, socket: `redis://127.0.0.1:${redis.port}/conformance?connect_timeout_ms=3000&timeout_ms=1000`,
      received: async () => {
        const reader = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
        try {
          await reader.connect();
          const entries = await reader.xrange('conformance', '-', '+');
          return entries.map(([, fields]) => marker(fields[1]));
        } finally {
          reader.disconnect();
        }
      },
      breakRetryable: async () => {
        await redis.kill();
        return () => redis.start();
      },
    };
  },
});

backendConformance({
  name: 'mqtt (qos 1)',
  setup: async (t) => {
    const broker = await privateMosquitto(t);
    if (broker === undefined) throw new Error('unreachable: the test was skipped');
    // The reader subscribes to conformance/#: the backend publishes to conformance/events, and the
    // reader's own probes on conformance/probe tell it everything published before has arrived.
    const reader = await connectAsync({ host: '127.0.0.1', port: broker.port, reconnectPeriod: 100 });
    t.after(() => reader.endAsync(true));
    const bodies: string[] = [];
    const probes = new Map<string, () => void>();
    reader.on('message', (topic, payload) => {
      if (topic === 'conformance/events') bodies.push(payload.toString());
      else probes.get(payload.toString())?.();
    });
    await reader.subscribeAsync('conformance/#', { qos: 1 });
    let probeCount = 0;
    /** Resolves once a probe published now came back through the broker (after a restart: once resubscribed). */
    const caughtUp = async () => {
      const probe = `probe-${probeCount++}`;
      const back = new Promise<void>((resolve) => probes.set(probe, resolve));
      const timer = setInterval(() => {
        if (reader.connected) void reader.subscribeAsync('conformance/#', { qos: 1 }).then(() => reader.publishAsync('conformance/probe', probe, { qos: 1 })).catch(() => undefined);
      }, 200);
      if (reader.connected) await reader.publishAsync('conformance/probe', probe, { qos: 1 }).catch(() => undefined);
      await back;
      clearInterval(timer);
      probes.delete(probe);
    };
    return {
      factory: mqttBackend, socket: `mqtt://127.0.0.1:${broker.port}/conformance/events?connect_timeout_ms=3000&timeout_ms=1000&reconnect_ms=100`,
      received: async () => {
        await caughtUp();
        return bodies.map(marker);
      },
      breakRetryable: async () => {
        await broker.kill();
        return async () => {
          await broker.start();
          await caughtUp();
        };
      },
    };
  },
});
