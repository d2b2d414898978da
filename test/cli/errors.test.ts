import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderErrorsMarkdown } from '../../src/cli/errors-page.js';
import { errorCodes } from '../../src/errors/codes.js';
import { runCli } from './mi-cli-helpers.js';

test('herald errors lists every code as a table, as JSON, and writes the reference page', async (t) => {
  const table = await runCli(['errors']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^CODE +MI +MEANING$/m);
  assert.match(table.stdout, /^HERALD_ERR_LISTEN +-32000 +A listener/m);

  const json = await runCli(['errors', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as Array<{ code: string; meaning: string; action: string; rpcCode: number }>;
  assert.deepEqual(rows.map((row) => row.code), [...errorCodes()]);
  assert.deepEqual(rows.find((row) => row.code === 'HERALD_ERR_NOT_FOUND')?.rpcCode, -32001);

  const dir = await mkdtemp(join(tmpdir(), 'herald-errors-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const page = join(dir, 'errors.md');
  const written = await runCli(['errors', '--markdown', page]);
  assert.equal(written.code, 0, written.stderr);
  assert.equal(await readFile(page, 'utf8'), renderErrorsMarkdown());
});
