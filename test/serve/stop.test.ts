import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../../src/log/logger.js';
import { defineService, type ServiceStarter } from '../../src/runtime/service.js';
import { startDaemon } from '../../src/serve/serve.js';
import { isolatedDaemonYaml } from '../process/helpers.js';

interface Journal {
  readonly calls: string[];
  readonly deadlines: number[];
}

/** A service that records close/destroy; `drains: false` means its close never settles. */
function recorded(name: string, journal: Journal, drains: boolean): ServiceStarter {
  return defineService({
    name,
    start: async () => ({
      name,
      close: (deadlineMs) => {
        journal.calls.push(`close ${name}`);
        journal.deadlines.push(deadlineMs);
        return drains ? Promise.resolve() : new Promise<void>(() => undefined);
      },
      destroy: async () => {
        journal.calls.push(`destroy ${name}`);
      },
    }),
  });
}

async function daemonWith(t: { after(fn: () => unknown): void }, services: ServiceStarter[]) {
  const dir = await mkdtemp(join(tmpdir(), 'herald-stop-'));
  await writeFile(join(dir, 'herald.yaml'), [...isolatedDaemonYaml(join(dir, 'data')), 'subscribers: []'].join('\n'));
  const daemon = await startDaemon({ configPath: join(dir, 'herald.yaml'), env: {}, announce: () => {}, logger: silentLogger(), services });
  t.after(() => daemon.stop());
  return daemon;
}

test('stop closes services in reverse start order within the deadline; one that never drains is destroyed and stop resolves', async (t) => {
  const journal: Journal = { calls: [], deadlines: [] };
  const daemon = await daemonWith(t, [recorded('first', journal, true), recorded('stuck', journal, false), recorded('last', journal, true)]);
  await daemon.stop(300);
  assert.deepEqual(journal.calls, ['close last', 'close stuck', 'destroy stuck', 'close first']);
  for (const deadline of journal.deadlines) assert.ok(deadline <= 300, `each close gets at most the daemon's deadline, got ${deadline}`);
});

test('a service that closes in time is not destroyed', async (t) => {
  const journal: Journal = { calls: [], deadlines: [] };
  const daemon = await daemonWith(t, [recorded('only', journal, true)]);
  await daemon.stop(5000);
  assert.deepEqual(journal.calls, ['close only']);
});
