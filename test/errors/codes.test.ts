import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderErrorsMarkdown } from '../../src/cli/errors-page.js';
import { ERROR_CODES, errorCodes } from '../../src/errors/codes.js';
import { HeraldError } from '../../src/errors/herald-error.js';
import { silentLogger } from '../../src/log/logger.js';
import { toRpcError } from '../../src/mi/errors.js';
import { RPC_ERROR } from '../../src/mi/jsonrpc.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const DOC = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));
const CODES_FILE = join(SRC, 'errors', 'codes.ts');

/** Every `HERALD_ERR_X` written anywhere in src/ (code, comments and docs strings), by file. */
function codesInSource(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    for (const [code] of readFileSync(path, 'utf8').matchAll(/\bHERALD_ERR_[A-Z][A-Z0-9_]*/g)) {
      const files = found.get(code) ?? new Set<string>();
      files.add(path.slice(SRC.length));
      found.set(code, files);
    }
  }
  return found;
}

test('every HERALD_ERR_ code written in src/ is in errors/codes.ts', () => {
  const unlisted = [...codesInSource()].filter(([code]) => !Object.hasOwn(ERROR_CODES, code));
  assert.deepEqual(unlisted.map(([code, files]) => `${code} (${[...files].join(', ')})`), [], 'add these to src/errors/codes.ts');
});

test('every code in errors/codes.ts is used somewhere in src/ besides the list itself', () => {
  const used = codesInSource();
  const unused = errorCodes().filter((code) => [...(used.get(code) ?? [])].every((file) => join(SRC, file) === CODES_FILE));
  assert.deepEqual(unused, [], 'a listed code nothing raises: remove it (codes are never reused) or raise it');
});

test('every code has a one-line meaning and action', () => {
  for (const code of errorCodes()) {
    const { meaning, action } = ERROR_CODES[code];
    for (const text of [meaning, action]) {
      assert.ok(text.length > 10 && !text.includes('\n'), `${code}: "${text}"`);
    }
  }
});

test('docs/errors.md is the page the code list renders (regenerate it when codes.ts changes)', () => {
  assert.ok(
    readFileSync(DOC, 'utf8') === renderErrorsMarkdown(),
    'docs/errors.md is stale: run `npm run docs:errors` (herald errors --markdown docs/errors.md) and commit the result',
  );
  for (const code of errorCodes()) assert.ok(renderErrorsMarkdown().includes(`| \`${code}\` |`), code);
});

test('the MI answers every code with its own JSON-RPC code and the Herald code in data', () => {
  const mapped = new Map<string, number>();
  for (const code of errorCodes()) {
    const answer = toRpcError(new HeraldError(code, `failed with ${code}`), 'some_command', silentLogger());
    assert.deepEqual(answer.data, { code }, code);
    assert.equal(answer.message, `failed with ${code}`);
    assert.notEqual(answer.code, RPC_ERROR.INTERNAL_ERROR, `${code} is a Herald error, not a crash`);
    mapped.set(code, answer.code);
  }
  assert.equal(mapped.get('HERALD_ERR_NOT_FOUND'), RPC_ERROR.NOT_FOUND);
  assert.equal(mapped.get('HERALD_ERR_CONFIG'), RPC_ERROR.BAD_VALUE);
  assert.equal(mapped.get('HERALD_ERR_BUS_CLOSED'), RPC_ERROR.UNAVAILABLE);
});

test('a code that is not listed does not compile', () => {
  // @ts-expect-error HERALD_ERR_NO_SUCH_CODE is not in errors/codes.ts (tsc fails if this line stops being an error)
  const error = new HeraldError('HERALD_ERR_NO_SUCH_CODE', 'never listed');
  assert.equal(error.code, 'HERALD_ERR_NO_SUCH_CODE');
});
