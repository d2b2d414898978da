import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { NETWORK_BACKEND_PAGES } from '../../../src/backends/network-docs.js';
import { withOptionsTable } from '../../../src/backends/shared/socket-schema.js';

test('each network backend page carries the options table of its schema', async () => {
  for (const { page, schema } of NETWORK_BACKEND_PAGES) {
    const text = await readFile(new URL(`../../../${page}`, import.meta.url), 'utf8');
    assert.equal(text, withOptionsTable(text, schema), `${page} is stale: run \`npm run docs:backends\``);
  }
});
