import assert from 'node:assert/strict';
import test from 'node:test';
import type { StatusRegistry } from '../../src/runtime/status/registry.js';
import { STATUS_SLOT } from '../../src/runtime/status.js';
import { startTestDaemon } from './helpers.js';

test('/health is 200 when every status identifier is ready and 503 naming the ones that are not', async (t) => {
  const d = await startTestDaemon(t);
  const ready = await fetch(`${d.url}/health`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready' });
  const status = d.daemon.runtime.slots.get(STATUS_SLOT) as StatusRegistry;
  status.register('store', 'main', -1, 'opening');
  const notReady = await fetch(`${d.url}/health`);
  assert.equal(notReady.status, 503);
  assert.deepEqual(await notReady.json(), { status: 'not ready', not_ready: [{ group: 'store', identifier: 'main', status: -1, details: 'opening' }] });
  status.setStatus('store', 'main', 1, 'open');
  assert.equal((await fetch(`${d.url}/health`)).status, 200);
});

test('the start-up line names the bound address', async (t) => {
  const d = await startTestDaemon(t);
  const line = d.announced.find((entry) => entry.startsWith('mi '));
  assert.equal(line, `mi ${d.url}/mi`);
  assert.match(d.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(new URL(d.url).port, '0');
});
