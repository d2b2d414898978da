import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { SR_STATUS, STATUS_SLOT, statusRegistryOf } from '../../src/runtime/status.js';
import { startDaemon } from '../../src/serve/serve.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { isolatedDaemonYaml } from './helpers.js';

test('status changes raise E_CORE_SR_STATUS_CHANGED with old_status, from the daemon and from an application', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-sr-'));
  const socket = uniqueMemorySocket('sr');
  await writeFile(join(dir, 'herald.yaml'), [
    ...isolatedDaemonYaml(join(dir, 'data')),
    'subscribers:',
    `  - socket: ${socket}`,
    '    event: E_CORE_SR_STATUS_CHANGED',
  ].join('\n'));
  const daemon = await startDaemon({ configPath: join(dir, 'herald.yaml'), env: {}, announce: () => {} });
  t.after(() => daemon.stop());
  const store = memoryStore(socket.slice('memory:'.length));

  await store.waitFor(1);
  assert.deepEqual(store.events[0].params, {
    group: 'core', identifier: 'main', status: SR_STATUS.CORE_RUNNING, details: 'running', old_status: SR_STATUS.CORE_INITIALIZING,
  });

  const registry = statusRegistryOf(daemon.runtime);
  assert.equal(registry, daemon.runtime.slots.get(STATUS_SLOT), 'the daemon\'s own registry');
  registry.register('billing', 'db', SR_STATUS.NOT_READY, 'connecting');
  registry.setStatus('billing', 'db', SR_STATUS.NOT_READY, 'still connecting'); // same status: no event
  registry.setStatus('billing', 'db', SR_STATUS.READY, 'connected');
  await store.waitFor(2);
  assert.deepEqual(store.events[1].params, { group: 'billing', identifier: 'db', status: 1, details: 'connected', old_status: -1 });
  assert.equal(store.events[1].level, 'notice');

  await daemon.stop();
  assert.equal(store.events.length, 3, 'shutting down is a status change too, delivered before the bus closes');
  assert.deepEqual(store.events[2].params, {
    group: 'core', identifier: 'main', status: SR_STATUS.CORE_TERMINATING, details: 'shutting down', old_status: SR_STATUS.CORE_RUNNING,
  });
});
