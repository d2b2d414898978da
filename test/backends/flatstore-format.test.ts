import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { createFlatstoreEncoder, delimiterProblem } from '../../src/backends/flatstore/encode.js';
import { parseFlatstore, readFlatstore } from '../../src/backends/flatstore/reader.js';
import { createEvent } from '../../src/events/event.js';
import { E_CORE_TCP_DISCONNECT, E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { uniqueMemorySocket } from '../helpers/bus.js';
import { fileBus, tempDir } from './helpers.js';

const encode = (delimiter: string, suppressEventName = false) => createFlatstoreEncoder({ delimiter, suppressEventName });

test('lines follow OpenSIPS: name, then delimiter + value per param in catalogue order, ints plain, empty columns kept', () => {
  const tcp = createEvent(E_CORE_TCP_DISCONNECT, { src_ip: '10.0.0.1', src_port: 5060, dst_ip: '10.0.0.2', dst_port: 5061, proto: 'tcp' }, undefined, 'h');
  assert.equal(encode(',')(tcp), 'E_CORE_TCP_DISCONNECT,10.0.0.1,5060,10.0.0.2,5061,tcp\n');
  assert.equal(encode(',', true)(tcp), '10.0.0.1,5060,10.0.0.2,5061,tcp\n');
  const empty = createEvent(E_CORE_THRESHOLD, { source: '', time: -42, extra: '' }, undefined, 'h');
  assert.equal(encode(',')(empty), 'E_CORE_THRESHOLD,,-42,\n');
  // OpenSIPS drops one more delimiter when the first value is empty and the name suppressed; Herald keeps the columns.
  assert.equal(encode(',', true)(empty), ',-42,\n');
  assert.equal(encode(' | ')(empty), 'E_CORE_THRESHOLD |  | -42 | \n');
});

test('delimiters, newlines, carriage returns and backslashes inside values are escaped, reversibly', () => {
  const event = createEvent(E_CORE_THRESHOLD, { source: 'a,b', time: 1, extra: 'line\nbreak\r\\end' }, undefined, 'h');
  const line = encode(',')(event);
  assert.equal(line, 'E_CORE_THRESHOLD,a\\,b,1,line\\nbreak\\r\\\\end\n');
  assert.deepEqual(parseFlatstore(line), [{ event: 'E_CORE_THRESHOLD', values: ['a,b', '1', 'line\nbreak\r\\end'] }]);
  // Multi-character delimiter: every occurrence of its first character is escaped, so `::` cannot be faked by `:` + `:`.
  const colons = encode('::')(createEvent(E_CORE_THRESHOLD, { source: 'a:', time: 2, extra: ':b::c' }, undefined, 'h'));
  assert.equal(colons, 'E_CORE_THRESHOLD::a\\:::2::\\:b\\:\\:c\n');
  assert.deepEqual(parseFlatstore(colons, { delimiter: '::' })[0].values, ['a:', '2', ':b::c']);
});

test('unusable delimiters are refused with the reason', () => {
  assert.match(delimiterProblem('') ?? '', /empty/);
  assert.match(delimiterProblem('\n') ?? '', /newline/);
  assert.match(delimiterProblem('a\\b') ?? '', /backslash/);
  assert.match(delimiterProblem('nn') ?? '', /escape letters/);
  assert.equal(delimiterProblem(';;'), undefined);
});

test('writing never mutates event data: other subscribers see the values as raised', async (t) => {
  const dir = tempDir(t);
  const bus = fileBus(t, dir);
  const memory = uniqueMemorySocket('mutation');
  await bus.subscribe(`flatstore:${join(dir, 'ev.log')}`, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(memory, { event: 'E_CORE_THRESHOLD' });
  const params = Object.freeze({ source: 'a,b;c', time: 7, extra: 'x\ny' });
  bus.raise(E_CORE_THRESHOLD, params);
  await bus.drain();
  const [seen] = memoryStore(memory.slice('memory:'.length)).events;
  assert.deepEqual(seen.params, { source: 'a,b;c', time: 7, extra: 'x\ny' });
  assert.equal(await readFile(join(dir, 'ev.log'), 'utf8'), 'E_CORE_THRESHOLD,a\\,b;c,7,x\\ny\n');
});

test('the reader skips a torn final line (no trailing newline) and keeps every complete one', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'torn.log');
  await writeFile(file, 'E_A,1,x\nE_B,2,y\nE_C,3,z-partia');
  const records = await readFlatstore(file);
  assert.deepEqual(records.map((r) => r.event), ['E_A', 'E_B']);
  assert.deepEqual(parseFlatstore(''), []);
});
