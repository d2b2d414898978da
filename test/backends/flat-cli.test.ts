import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers.js';
import { CLI_ENTRY } from '../../bench/cli-entry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function herald(...args: string[]) {
  const result = spawnSync(process.execPath, [...CLI_ENTRY, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('herald flat read --json unescapes values, names params by the catalogue and skips a torn last line', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'ev.log');
  writeFileSync(file, 'E_CORE_THRESHOLD;;a\\;b;;9223372036854775807;;x\\ny\nE_UNKNOWN;;1;;2\nE_CORE_THRESHOLD;;torn');
  const { code, stdout, stderr } = herald('flat', 'read', file, '--delimiter', ';;', '--json');
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), [
    { event: 'E_CORE_THRESHOLD', values: ['a;b', '9223372036854775807', 'x\ny'], params: { source: 'a;b', time: '9223372036854775807', extra: 'x\ny' } },
    { event: 'E_UNKNOWN', values: ['1', '2'] },
  ]);
});

test('herald flat read prints a table for people, and a bad delimiter or missing file is a usage error', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'ev.log');
  writeFileSync(file, 'E_CORE_THRESHOLD,dns,15,a\\,b\n');
  const table = herald('flat', 'read', file);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^EVENT\s+PARAMS\nE_CORE_THRESHOLD\s+source=dns time=15 extra=a,b\n$/);
  assert.equal(herald('flat', 'read', file, '--delimiter', 'n').code, 2);
  const missing = herald('flat', 'read', join(dir, 'nope.log'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read/);
});
