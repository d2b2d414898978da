import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

/*
 * `npm test` runs `npm run lint` and `npm run deps` before the tests. These show
 * that each rule fails on a violation made on purpose, so a rule that has quietly
 * stopped matching (a renamed folder, a config typo) is noticed.
 */
const ROOT = new URL('../..', import.meta.url).pathname;

/** A small tree that breaks every layer rule once. */
const VIOLATIONS: Readonly<Record<string, string>> = {
  'src/bus/up.ts': "import { serve } from '../serve/root.js';\nexport const up = serve;\n",
  'src/serve/root.ts': "export const serve = 1;\n",
  'src/events/high.ts': "import { up } from '../bus/up.js';\nexport const high = up;\n",
  'src/runtime/svc.ts': "import { trace } from '../trace/t.js';\nexport const svc = trace;\n",
  'src/trace/t.ts': "import { cli } from '../cli/c.js';\nexport const trace = cli;\n",
  'src/cli/c.ts': 'export const cli = 1;\n',
  'src/mi/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'src/mi/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  'bench/uses-test.ts': "import { helper } from '../test/helper.js';\nexport const x = helper;\n",
  'test/helper.ts': 'export const helper = 1;\n',
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
};

test('dependency-cruiser fails on each layer rule, a cycle and an import of test/ from bench/', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-depcruise-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(VIOLATIONS)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const run = spawnSync(join(ROOT, 'node_modules/.bin/depcruise'), ['src', 'bench', '--config', join(ROOT, '.dependency-cruiser.cjs')], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(run.status, 0, `depcruise must fail:\n${run.stdout}${run.stderr}`);
  for (const rule of ['bus-floor', 'bottom-floor', 'runtime-floor', 'services-floor', 'no-circular', 'not-from-tests']) {
    assert.match(run.stdout, new RegExp(`error ${rule}:`), `rule ${rule} reports its violation:\n${run.stdout}`);
  }
});

test('ESLint fails on a floating promise, a value import used only as a type and `any` in src/', async () => {
  const probe = 'src/guard-rail-probe.ts';
  const eslint = new ESLint({
    cwd: ROOT,
    // The probe exists only as text: let the type-aware rules check it against the project's tsconfig.
    overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: [probe] } } } },
  });
  const [result] = await eslint.lintText([
    "import { Bus } from './bus/bus.js';",
    'export async function later(): Promise<void> {}',
    'export function probe(value: any, bus: Bus): unknown[] {',
    '  later();',
    '  return [value, bus];',
    '}',
  ].join('\n'), { filePath: probe });
  const rules = result.messages.map((message) => message.ruleId).sort();
  assert.deepEqual(rules, ['@typescript-eslint/consistent-type-imports', '@typescript-eslint/no-explicit-any', '@typescript-eslint/no-floating-promises']);
});
