// Regenerates the options tables of docs/backends/*.md from the backends' schemas.
import { readFileSync, writeFileSync } from 'node:fs';
import { BACKEND_DOC_PAGES } from '../src/backends/doc-pages.js';
import { withOptionsTable } from '../src/backends/shared/socket-schema.js';

for (const { page, schema } of BACKEND_DOC_PAGES) {
  writeFileSync(page, withOptionsTable(readFileSync(page, 'utf8'), schema));
  console.log(`wrote ${page}`);
}
