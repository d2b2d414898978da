import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createFlatstoreFactory } from '../../src/backends/flatstore/index.js';
import { parseConfig } from '../../src/config/load.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { fileBus, tempDir } from './helpers.js';

// Issue 10, item 7: one schema per backend gives the config section, the socket options and their checks.
test('the flatstore schema checks the config section and the socket query alike, with the same reasons', async (t) => {
  assert.throws(() => parseConfig({ flatstore: { delimiter: 'nope', rotate_size: '10x' }, jsonl: { roll: 'weekly' } }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_CONFIG');
    assert.match(error.message, /flatstore\.rotate_size/);
    assert.match(error.message, /jsonl\.roll/);
    return true;
  });
  assert.throws(() => parseConfig({ flatstore: { delimiter: 'nope' } }), /flatstore\.delimiter: must not start with "n" or "r" \(they are escape letters\) \(got "nope"\)/);
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  await assert.rejects(bus.subscribe(`flatstore:${join(dir, 'x.log')}?delimiter=nope&rotate_size=10x`, { event: 'E_CORE_THRESHOLD' }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET');
    assert.match(error.message, /option "rotate_size"/);
    return true;
  });
  await assert.rejects(bus.subscribe(`flatstore:${join(dir, 'x.log')}?delimiter=nope`, { event: 'E_CORE_THRESHOLD' }), /option "delimiter" must not start with "n" or "r"/);
});

test('socket options win over the config section, which wins over the schema defaults; yes/on/1 are true', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  bus.backends.register(createFlatstoreFactory({ config: { delimiter: ';', suppress_event_name: true } }));
  await bus.subscribe(`flatstore:${join(dir, 'config.log')}`, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(`flatstore:${join(dir, 'socket.log')}?delimiter=%7C&suppress_event_name=no`, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(`flatstore:${join(dir, 'words.log')}?suppress_event_name=off&fsync=yes`, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, { source: 'dns', time: 1, extra: 'x' });
  await bus.drain();
  assert.equal(readFileSync(join(dir, 'config.log'), 'utf8'), 'dns;1;x\n');
  assert.equal(readFileSync(join(dir, 'socket.log'), 'utf8'), 'E_CORE_THRESHOLD|dns|1|x\n');
  assert.equal(readFileSync(join(dir, 'words.log'), 'utf8'), 'E_CORE_THRESHOLD;dns;1;x\n');
});
