import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFileService } from '../../src/backends/files-service.js';
import { memoryStore } from '../../src/backends/memory/index.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { silentLogger } from '../../src/log/logger.js';
import { startDaemon } from '../../src/serve/serve.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { tempDir } from './helpers.js';

/** `DATA` in the YAML stands for the data dir. */
async function daemonWith(t: Parameters<typeof tempDir>[0], yaml: string) {
  const dir = tempDir(t);
  const config = join(dir, 'herald.yaml');
  await writeFile(config, `data_dir: ${join(dir, 'data')}\ndelivery:\n  memory_transport: true\n${yaml.replaceAll('DATA', join(dir, 'data'))}`);
  const daemon = await startDaemon({ configPath: config, services: [startFileService], announce: () => {}, logger: silentLogger() });
  t.after(() => daemon.stop());
  return { daemon, data: join(dir, 'data') };
}

test('serve: flatstore/jsonl take their defaults from config, and the default jsonl subscriber writes events.log', async (t) => {
  const { daemon, data } = await daemonWith(t, [
    'flatstore:\n  delimiter: "|"\n  suppress_event_name: true',
    'subscribers:',
    '  - socket: flatstore:DATA/ev.csv',
    '    event: E_CORE_THRESHOLD',
    '  - socket: jsonl:DATA/events.log?timezone=utc',
    '    filter: level>=info',
  ].join('\n'));
  daemon.runtime.bus.raise(E_CORE_THRESHOLD, { source: 'dns', time: 5, extra: 'a|b' });
  await daemon.runtime.bus.drain();
  assert.equal(readFileSync(join(data, 'ev.csv'), 'utf8'), 'dns|5|a\\|b\n');
  assert.match(readFileSync(join(data, 'events.log'), 'utf8'), /^\{"time":"[^"]+\+00:00","level":"warning","category":"core","type":"E_CORE_THRESHOLD"/m);
});

test('SIGHUP rotates every open file (logrotate postrotate), and stopping the service removes the handler', async (t) => {
  const before = process.listenerCount('SIGHUP');
  const { daemon, data } = await daemonWith(t, 'subscribers:\n  - socket: flatstore:DATA/a.log\n    event: E_CORE_THRESHOLD\n  - socket: jsonl:DATA/b.log?roll=none\n    event: E_CORE_THRESHOLD');
  const { bus } = daemon.runtime;
  assert.equal(process.listenerCount('SIGHUP'), before + 1);
  const rotations = uniqueMemorySocket('hup');
  await bus.subscribe(rotations, { event: 'E_FLATSTORE_ROTATION' });
  bus.raise(E_CORE_THRESHOLD, { source: 'before', time: 1, extra: '' });
  await bus.drain();
  await rename(join(data, 'a.log'), join(data, 'a.log.1'));
  await rename(join(data, 'b.log'), join(data, 'b.log.1'));
  // Signal watchers do not keep the event loop up; this interval does until the rotations arrive.
  const alive = setInterval(() => {}, 1000);
  t.after(() => clearInterval(alive));
  process.kill(process.pid, 'SIGHUP');
  await memoryStore(rotations.slice('memory:'.length)).waitFor(2);
  bus.raise(E_CORE_THRESHOLD, { source: 'after', time: 2, extra: '' });
  await bus.drain();
  assert.match(readFileSync(join(data, 'a.log.1'), 'utf8'), /^E_CORE_THRESHOLD,before,1,\n$/);
  assert.match(readFileSync(join(data, 'a.log'), 'utf8'), /^E_CORE_THRESHOLD,after,2,\n$/);
  assert.match(readFileSync(join(data, 'b.log.1'), 'utf8'), /"source":"before"/);
  assert.match(readFileSync(join(data, 'b.log'), 'utf8'), /"source":"after"/);
  await daemon.stop();
  assert.equal(process.listenerCount('SIGHUP'), before);
});
