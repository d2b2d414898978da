import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFlatstoreEncoder, delimiterProblem } from '../../src/backends/flatstore/encode.js';
import { decodeFlatstoreParams, parseFlatstore, splitFlatstoreLine } from '../../src/backends/flatstore/reader.js';
import { createEvent } from '../../src/events/event.js';
import { defineEvent } from '../../src/events/define.js';
import { param } from '../../src/events/params.js';
import { seededRandom } from '../helpers/random.js';


/** Characters that stress the escaping: delimiter candidates, escapes, line breaks, quotes, non-ASCII. */
const ALPHABET = [',', ';', ':', '|', 'a', 'b', 'd', '\\', '\n', '\r', '"', "'", ' ', '\t', 'é', '😀', '中', 'x', '-', ']', '^'];
const DELIMITER_ALPHABET = [',', ';', ':', '|', 'a', 'b', 'd', ' ', '\t', 'é', '😀', ']', '^', '-', '::'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomText(random: () => number, maxLength: number): string {
  let out = '';
  const length = Math.floor(random() * (maxLength + 1));
  for (let i = 0; i < length; i++) out += pick(random, ALPHABET);
  return out;
}

function randomDelimiter(random: () => number): string {
  for (;;) {
    let out = '';
    const length = 1 + Math.floor(random() * 3);
    for (let i = 0; i < length; i++) out += pick(random, DELIMITER_ALPHABET);
    if (delimiterProblem(out) === undefined) return out;
  }
}

const E_FUZZ = defineEvent({
  name: 'E_FUZZ',
  pack: 'test',
  category: 'test',
  level: 'info',
  description: 'Fuzz target: four strings and a list.',
  params: { a: param.string('a'), b: param.string('b'), c: param.string('c'), d: param.string('d'), list: param.stringList('list') },
});

test('fuzz: random values and delimiters (multi-character, self-overlapping, non-ASCII) survive encode → split', () => {
  const cases = 5000;
  for (let seed = 1; seed <= cases; seed++) {
    const random = seededRandom(seed);
    const delimiter = randomDelimiter(random);
    const suppressEventName = random() < 0.3;
    const values = { a: randomText(random, 12), b: randomText(random, 12), c: randomText(random, 3), d: randomText(random, 30) };
    const list = Array.from({ length: Math.floor(random() * 4) }, () => randomText(random, 6));
    const frozen = Object.freeze({ ...values, list: Object.freeze([...list]) });
    const line = createFlatstoreEncoder({ delimiter, suppressEventName })(createEvent(E_FUZZ, frozen, undefined, 'fuzz'));
    assert.equal(line.indexOf('\n'), line.length - 1, `seed ${seed}: exactly one newline, at the end`);
    const [record] = parseFlatstore(line, { delimiter, suppressEventName, paramNames: E_FUZZ.paramNames });
    const expectedColumns = [values.a, values.b, values.c, values.d];
    assert.deepEqual(record.values.slice(0, 4), expectedColumns, `seed ${seed}, delimiter ${JSON.stringify(delimiter)}`);
    assert.equal(record.event, suppressEventName ? undefined : 'E_FUZZ');
    assert.equal(record.values.length, 5, `seed ${seed}: column count`);
    // A list of one empty item is written like the empty list (documented): compare through that.
    const expectedList = list.length === 1 && list[0] === '' ? [] : list;
    assert.deepEqual(decodeFlatstoreParams(E_FUZZ, record.values), { ...values, list: expectedList }, `seed ${seed}: typed params`);
  }
});

test('fuzz: the escaped line never contains a raw delimiter inside a value, for any lead character', () => {
  const random = seededRandom(42);
  for (let i = 0; i < 2000; i++) {
    const delimiter = randomDelimiter(random);
    const value = randomText(random, 20) + delimiter + randomText(random, 20);
    const line = createFlatstoreEncoder({ delimiter, suppressEventName: true })(
      createEvent(E_FUZZ, { a: value, b: '', c: '', d: '', list: [] }, undefined, 'fuzz'),
    );
    const columns = splitFlatstoreLine(line.slice(0, -1), delimiter);
    assert.equal(columns.length, 5, `delimiter ${JSON.stringify(delimiter)} value ${JSON.stringify(value)}`);
    assert.equal(columns[0], value);
  }
});
