import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFlatstoreParams, readFlatstore } from '../../src/backends/flatstore/reader.js';
import { readJsonl } from '../../src/backends/jsonl/reader.js';
import { type Catalogue } from '../../src/events/catalogue.js';
import { defineEvent, type EventDef } from '../../src/events/define.js';
import { renderSummary } from '../../src/events/event.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { param, type ParamValue } from '../../src/events/params.js';
import { fileBus, hostileValue, tempDir } from './helpers.js';

/** The shipped packs have no list or json params; this event covers every kind, optional ones too. */
const E_TEST_ALL_KINDS = defineEvent({
  name: 'E_TEST_ALL_KINDS',
  pack: 'test',
  category: 'test',
  level: 'info',
  description: 'Every param kind.',
  params: {
    i: param.int('int'), f: param.float('float'), b: param.bool('bool'), s: param.string('string'), ip: param.ip('ip'),
    port: param.port('port'), d: param.duration('duration'), ts: param.timestamp('timestamp'),
    list: param.stringList('list'), json: param.json('json'),
    opt_s: param.string('optional string').optional(), opt_i: param.int('optional int').optional(),
    opt_list: param.stringList('optional list').optional(),
  },
  summary: 'all kinds: {s} {i}',
});

const VARIANTS = 20;

function catalogue(): Catalogue {
  return createDefaultCatalogue().add([E_TEST_ALL_KINDS]);
}

type Params = Record<string, ParamValue | undefined>;

function hostileParams(def: EventDef, variant: number): Params {
  return Object.fromEntries(def.paramNames.map((name, index) => [name, hostileValue(def.params[name].kind, variant + index)]));
}

/** What a flatstore line can say: an empty column of an optional non-text param reads as absent. */
function flatView(def: EventDef, params: Params): Params {
  const out: Params = {};
  for (const name of def.paramNames) {
    const value = params[name];
    const kind = def.params[name].kind;
    if (value === undefined) {
      if (kind === 'string' || kind === 'ip') out[name] = '';
      else if (kind === 'string_list') out[name] = [];
      continue;
    }
    out[name] = value;
  }
  return out;
}

interface Raised {
  readonly def: EventDef;
  readonly params: Params;
  readonly sourceId: string;
}

async function writeEverything(t: Parameters<typeof tempDir>[0], sockets: readonly string[], dir: string): Promise<Raised[]> {
  const bus = fileBus(t, dir, { catalogue: catalogue() });
  for (const socket of sockets) await bus.subscribe(socket, { filter: 'level>=trace' });
  const raised: Raised[] = [];
  for (const def of bus.catalogue.list()) {
    for (let variant = 0; variant < VARIANTS; variant++) {
      const params = hostileParams(def, variant);
      const sourceId = `#src,${variant}\n;;`;
      bus.raise(def, params as never, { sourceId, cause: variant % 2 === 0 ? 'cause, "quoted"\n' : undefined, snapshot: def.snapshot ? { v: variant, s: 'x,y' } : undefined });
      raised.push({ def, params, sourceId });
    }
  }
  const { def } = { def: E_TEST_ALL_KINDS };
  const minimal = { i: 1, f: 1.5, b: true, s: '', ip: '::1', port: 1, d: 2, ts: 3, list: ['x'], json: { k: 'v' } };
  bus.raise(def, minimal);
  raised.push({ def, params: minimal, sourceId: 'herald' });
  await bus.close();
  return raised;
}

test('flatstore round-trips every catalogue event with hostile values, for single and multi-character delimiters', async (t) => {
  const dir = tempDir(t);
  const configs = [
    { file: 'comma.log', query: '', delimiter: ',', suppress: false },
    { file: 'semi.log', query: '?delimiter=%3B%3B', delimiter: ';;', suppress: false },
    { file: 'colons.log', query: '?delimiter=%3A%3A&suppress_event_name=1', delimiter: '::', suppress: true },
  ];
  const raised = await writeEverything(t, configs.map((c) => `flatstore:${join(dir, c.file)}${c.query}`), dir);
  const events = catalogue();
  for (const config of configs) {
    const text = await readFile(join(dir, config.file), 'utf8');
    assert.ok(text.endsWith('\n'));
    const records = await readFlatstore(join(dir, config.file), { delimiter: config.delimiter, suppressEventName: config.suppress, catalogue: events });
    assert.equal(records.length, raised.length, `${config.file}: one line per event (no value split a line)`);
    records.forEach((record, index) => {
      const { def, params } = raised[index];
      if (config.suppress) {
        assert.equal(record.event, undefined);
        // An event without params is an empty line: one empty column.
        assert.equal(record.values.length, Math.max(1, def.paramNames.length), `${config.file} line ${index + 1}: column count`);
        assert.deepEqual(decodeFlatstoreParams(def, record.values), flatView(def, params), `${config.file} line ${index + 1} (${def.name})`);
        return;
      }
      assert.equal(record.event, def.name, `${config.file} line ${index + 1}`);
      assert.deepEqual(record.params, flatView(def, params), `${config.file} line ${index + 1} (${def.name})`);
    });
  }
});

test('jsonl round-trips every catalogue event with hostile values, int64 digits exact', async (t) => {
  const dir = tempDir(t);
  const raised = await writeEverything(t, [`jsonl:${join(dir, 'events.log')}?timezone=utc&roll=none`], dir);
  const records = await readJsonl(join(dir, 'events.log'), { catalogue: catalogue() });
  assert.equal(records.length, raised.length);
  records.forEach((record, index) => {
    const { def, params, sourceId } = raised[index];
    assert.equal(record.type, def.name);
    assert.equal(record.category, def.category);
    assert.equal(record.level, def.level);
    assert.equal(record.sourceId, sourceId);
    assert.equal(record.summary, renderSummary(def.summary, params) ?? '');
    const expected = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    assert.deepEqual(record.params, expected, `line ${index + 1} (${def.name})`);
  });
  const text = await readFile(join(dir, 'events.log'), 'utf8');
  assert.match(text, /"i":-9223372036854775808[,}]/, 'bigint written as a JSON number with every digit');
});
