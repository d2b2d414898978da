import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderConfigMarkdown } from '../../src/config/config-docs.js';
import { loadConfig, parseConfigText } from '../../src/config/load.js';

test('embedded defaults: data dir, MI on loopback 8888, HEP 9060, raw SIP 9061, sqlite trace store', async () => {
  const { config, path } = await loadConfig(undefined, {});
  assert.equal(path, undefined);
  assert.equal(config.data_dir, './herald-data');
  assert.equal(config.mi.listen, '127.0.0.1:8888');
  assert.equal(config.hep.listen, '127.0.0.1:9060');
  assert.equal(config.sip.listen, '127.0.0.1:9061');
  assert.equal(config.trace.store, 'sqlite:');
  assert.equal(config.trace.table, 'sip_trace');
  assert.equal(config.subscribers, undefined, 'serve fills in the default jsonl subscriber');
  assert.ok(Object.isFrozen(config.mi), 'config is deep-frozen');
});

test('every error is reported at once with its key path, and unknown keys are errors', () => {
  const yaml = [
    'data_dir: 5',
    'mi:',
    '  listen: 8888',
    '  colour: blue',
    'delivery:',
    '  max_queue_events: 0',
    'subscribers:',
    '  - socket: jsonl:/tmp/x.log',
    '    expire: ten',
    'nonsense: true',
  ].join('\n');
  assert.throws(() => parseConfigText(yaml, {}, 'herald.yaml'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HERALD_ERR_CONFIG');
    for (const expected of ['data_dir', 'mi.listen', 'mi.colour', 'delivery.max_queue_events', 'subscribers[0].expire', 'nonsense']) {
      assert.ok(error.message.includes(`  ${expected}`), `missing ${expected} in:\n${error.message}`);
    }
    assert.match(error.message, /mi\.listen: .*\(got 8888\)/);
    return true;
  });
});

test('YAML syntax errors name the file', () => {
  assert.throws(() => parseConfigText('mi: [unclosed', {}, 'my.yaml'), /Invalid YAML in my\.yaml/);
  assert.throws(() => parseConfigText('- just\n- a list', {}, 'my.yaml'), /top level must be a mapping/);
});

test('HERALD_TOKEN overrides mi.token; HERALD_CONFIG names the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-config-'));
  const file = join(dir, 'herald.yaml');
  await writeFile(file, 'mi:\n  token: from-the-config-file\n');
  const fromFile = await loadConfig(undefined, { HERALD_CONFIG: file });
  assert.equal(fromFile.config.mi.token, 'from-the-config-file');
  assert.equal(fromFile.path, file);
  const fromEnv = await loadConfig(file, { HERALD_TOKEN: 'from-the-environment-0123' });
  assert.equal(fromEnv.config.mi.token, 'from-the-environment-0123');
  await assert.rejects(loadConfig(join(dir, 'missing.yaml'), {}), /Cannot read config file .*missing\.yaml/);
});

test('docs/config.md is generated from the schema and current', async () => {
  const committed = await readFile(new URL('../../docs/config.md', import.meta.url), 'utf8');
  assert.equal(committed, renderConfigMarkdown(), 'docs/config.md is stale: run `herald config --markdown docs/config.md`');
});
