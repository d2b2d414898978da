import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { BACKEND_DOC_PAGES } from '../../src/backends/doc-pages.js';
import { withOptionsTable } from '../../src/backends/shared/socket-schema.js';

test('each backend page under docs/backends/ carries the options table of its schema', async () => {
  for (const { page, schema } of BACKEND_DOC_PAGES) {
    const text = await readFile(new URL(`../../${page}`, import.meta.url), 'utf8');
    assert.equal(text, withOptionsTable(text, schema), `${page} is stale: run \`npm run docs:backends\``);
  }
});

// Issue 12, point 27: docs/trace.md recommended copytruncate where docs/backends/flatstore.md forbade it.
test('one rotation recommendation across the docs: every mention of copytruncate warns against it', async () => {
  for (const page of ['docs/trace.md', 'docs/backends/flatstore.md', 'docs/backends/jsonl.md', 'README.md']) {
    const text = await readFile(new URL(`../../${page}`, import.meta.url), 'utf8');
    for (const sentence of text.replace(/\s+/g, ' ').split(/(?<=[.:])\s/).filter((s) => s.includes('copytruncate'))) {
      assert.match(sentence, /Do not use/, `${page} mentions copytruncate without warning against it: "${sentence}"`);
    }
  }
  const trace = await readFile(new URL('../../docs/trace.md', import.meta.url), 'utf8');
  assert.match(trace, /herald rotate/, 'docs/trace.md gives the rename + rotate recommendation');
});
