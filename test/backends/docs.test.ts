import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { FILE_BACKEND_PAGES } from '../../src/backends/file-docs.js';
import { withOptionsTable } from '../../src/backends/shared/socket-schema.js';

test('docs/backends/flatstore.md and jsonl.md carry the options table of their schema', async () => {
  for (const { page, schema } of FILE_BACKEND_PAGES) {
    const text = await readFile(new URL(`../../${page}`, import.meta.url), 'utf8');
    assert.equal(text, withOptionsTable(text, schema), `${page} is stale: run \`npm run docs:backends\``);
  }
});
