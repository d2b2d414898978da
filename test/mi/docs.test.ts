import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { generatedSection } from '../../src/mi/docs.js';
import { generateMiDocs } from '../../src/cli/mi-docs-generate.js';

const STALE = 'docs/mi.md is stale: run `npm run docs:mi` (herald mi-docs --write docs/mi.md) and commit the result';

test('docs/mi.md matches the commands `which` lists on a running daemon', async () => {
  const doc = await readFile(new URL('../../docs/mi.md', import.meta.url), 'utf8');
  const { markdown, which } = await generateMiDocs();
  const committed = generatedSection(doc);
  assert.ok(committed !== undefined, `docs/mi.md has no generated section. ${STALE}`);
  assert.ok(which.length > 10, 'which lists the built-in commands');
  for (const command of which) {
    const heading = `### \`${command.name}\``;
    const at = committed.indexOf(heading);
    assert.ok(at !== -1, `${command.name} is missing. ${STALE}`);
    const section = committed.slice(at, committed.indexOf('\n### ', at + 1) === -1 ? undefined : committed.indexOf('\n### ', at + 1));
    for (const alias of command.aliases) assert.ok(section.split('\n')[0].includes(`\`${alias}\``), `${command.name}: alias ${alias}. ${STALE}`);
    for (const param of command.params) {
      assert.ok(section.includes(`| \`${param.name}\` | ${param.type} | ${param.required ? 'yes' : 'no'} |`), `${command.name}: param ${param.name}. ${STALE}`);
    }
    assert.match(section, /Request:\n\n```json\n\{"jsonrpc":"2\.0"/, `${command.name}: example request`);
    assert.match(section, /Response:\n\n```json\n/, `${command.name}: example response`);
  }
  assert.equal(committed, markdown, STALE);
});
