import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CatalogueEventJson } from '../../src/events/catalogue-docs.js';
import { renderCatalogueMarkdown } from '../../src/events/catalogue-docs.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { CLI_ENTRY } from '../../bench/cli-entry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function herald(...args: string[]) {
  const result = spawnSync(process.execPath, [...CLI_ENTRY, 'events', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('events --json lists the required events of every pack with their params', () => {
  const { code, stdout, stderr } = herald('--json');
  assert.equal(code, 0, stderr);
  const events = JSON.parse(stdout) as CatalogueEventJson[];
  const byName = new Map(events.map((event) => [event.name, event]));
  for (const name of ['E_CORE_TCP_DISCONNECT', 'E_FLATSTORE_ROTATION', 'imap_command_finished', 'auth_request_finished', 'StreamCreated']) {
    assert.ok(byName.has(name), name);
  }
  const created = byName.get('StreamCreated');
  assert.deepEqual([created?.pack, created?.category, created?.level], ['ovenmediaengine', 'StreamEvent', 'info']);
  const finished = byName.get('auth_passdb_request_finished');
  assert.equal(finished?.parent, 'auth_passdb_request_started');
  assert.equal(finished?.pairedWith, 'auth_passdb_request_started');
  assert.deepEqual(finished?.params.find((p) => p.name === 'passdb'), {
    name: 'passdb', type: 'string', optional: false, description: 'The passdb driver.', inheritedFrom: 'auth_passdb_request_started',
  });
});

test('events --pack narrows the list, and an unknown pack is a usage error naming the valid ones', () => {
  const narrowed = herald('--pack', 'ovenmediaengine', '--category', 'StreamEvent', '--json');
  assert.equal(narrowed.code, 0, narrowed.stderr);
  const events = JSON.parse(narrowed.stdout) as CatalogueEventJson[];
  assert.ok(events.length > 0);
  assert.ok(events.every((event) => event.pack === 'ovenmediaengine' && event.category === 'StreamEvent'));

  const unknown = herald('--pack', 'nosuch');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown pack "nosuch".*core, dovecot, ovenmediaengine/);
  assert.equal(unknown.stdout, '');
});

test('the table is aligned: every row starts its second column at the same offset', () => {
  const { code, stdout, stderr } = herald('--pack', 'dovecot');
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  const dovecotEvents = createDefaultCatalogue().list({ pack: 'dovecot' }).length;
  assert.equal(lines.length, 1 + dovecotEvents, 'a header and one row per dovecot event');
  const offset = lines[0].indexOf('PACK');
  assert.ok(offset > 0);
  for (const line of lines.slice(1)) {
    assert.match(line.slice(offset), /^dovecot /, line);
    assert.match(line.slice(0, offset), /^\S+ +$/, line);
  }
});

test('events --markdown FILE writes the rendered page and prints its path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-events-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const target = join(dir, 'nested', 'events.md');
  const { code, stdout, stderr } = herald('--markdown', target);
  assert.equal(code, 0, stderr);
  assert.equal(stdout.trim(), target);
  assert.equal(readFileSync(target, 'utf8'), renderCatalogueMarkdown(createDefaultCatalogue()));
});
