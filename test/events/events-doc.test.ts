import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Catalogue } from '../../src/events/catalogue.js';
import { renderCatalogueMarkdown } from '../../src/events/catalogue-docs.js';
import { defineEvent } from '../../src/events/define.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { param } from '../../src/events/params.js';

const DOC = fileURLToPath(new URL('../../docs/events.md', import.meta.url));

test('docs/events.md is the page the catalogue renders (regenerate it when a pack changes)', () => {
  const committed = readFileSync(DOC, 'utf8');
  const rendered = renderCatalogueMarkdown(createDefaultCatalogue());
  assert.ok(
    committed === rendered,
    'docs/events.md is stale: run `herald events --markdown` (node --import tsx src/cli/bin.ts events --markdown docs/events.md) and commit the result',
  );
});

test('the page links every event, parent and pair to an anchor it defines', () => {
  const page = renderCatalogueMarkdown(createDefaultCatalogue());
  const anchors = new Set([...page.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
  const links = [...page.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(links.length > 0);
  for (const link of links) assert.ok(anchors.has(link), `dangling link #${link}`);
  for (const def of createDefaultCatalogue().list()) assert.ok(anchors.has(`event-${def.name.toLowerCase()}`), def.name);
});

test('rendering is deterministic and covers only the catalogue it is given', () => {
  const catalogue = createDefaultCatalogue();
  assert.equal(renderCatalogueMarkdown(catalogue), renderCatalogueMarkdown(createDefaultCatalogue()));
  const page = renderCatalogueMarkdown(new Catalogue(catalogue.list({ pack: 'dovecot' })));
  assert.match(page, /^34 events in 1 pack\.$/m);
  assert.doesNotMatch(page, /Pack `core`/);
  const imapRows = page.split('\n').filter((line) => line.startsWith('| `tagged_reply_state`'));
  assert.deepEqual(imapRows, ['| `tagged_reply_state` | `string` | required |  | OK, NO or BAD. |']);
});

test('pipes and line breaks in catalogue text cannot break a table row', () => {
  const def = defineEvent({
    name: 'test_doc_escaping', pack: 'test', category: 't', level: 'info', description: 'plain',
    params: { mode: param.string('allow | report\nor nothing') },
    summary: 'mode={mode} | done',
  });
  const page = renderCatalogueMarkdown(new Catalogue([def]));
  assert.ok(page.includes('| `mode` | `string` | required |  | allow \\| report or nothing |'), page);
  assert.ok(page.includes('| summary | `mode={mode} \\| done` |'), page);
});
