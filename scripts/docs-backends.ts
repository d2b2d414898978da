// Regenerates the options tables of docs/backends/*.md from the backends' schemas.
import { readFileSync, writeFileSync } from 'node:fs';
import { FILE_BACKEND_PAGES } from '../src/backends/file-docs.js';
import { NETWORK_BACKEND_PAGES } from '../src/backends/network-docs.js';
import { withOptionsTable } from '../src/backends/shared/socket-schema.js';

for (const { page, schema } of [...FILE_BACKEND_PAGES, ...NETWORK_BACKEND_PAGES]) {
  writeFileSync(page, withOptionsTable(readFileSync(page, 'utf8'), schema));
  console.log(`wrote ${page}`);
}
