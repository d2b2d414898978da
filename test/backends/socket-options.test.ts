import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSocket } from '../../src/bus/socket.js';
import { fileBus, tempDir } from './helpers.js';

// Issue 12, point 14: `?__proto__=x` hit Object.prototype's setter and vanished, accepted silently.
test('a socket option named __proto__ is an option like any other, and refused as unknown', async (t) => {
  assert.deepEqual(Object.keys(parseSocket('flatstore:/x.log?__proto__=x&delimiter=;').options), ['__proto__', 'delimiter']);
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  for (const transport of ['flatstore', 'jsonl']) {
    await assert.rejects(bus.subscribe(`${transport}:${join(dir, 'x.log')}?__proto__=x`, { event: 'E_CORE_THRESHOLD' }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HERALD_ERR_BAD_SOCKET');
      assert.match(error.message, /unknown option "__proto__"/);
      return true;
    });
  }
});
