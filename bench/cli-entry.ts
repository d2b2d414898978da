import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const COMPILED = 'dist/src/cli/bin.js';
const SOURCE = ['--import', 'tsx', 'src/cli/bin.ts'];

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function compiledIsFresh(): boolean {
  try {
    return statSync(join(REPO, COMPILED)).mtimeMs >= newestMtimeMs(join(REPO, 'src'));
  } catch {
    return false;
  }
}

/**
  * Node arguments that run the `herald` CLI (for tests and benchmarks), relative to the repository root (spawn with
 * `cwd` there). The compiled CLI when `dist/` is at least as new as every file under `src/`
 * (`npm test` compiles first), else the sources through tsx: the same code either way, but
 * tsx transpiles on every start, which made each CLI child cost a second of CPU and pushed
 * the CLI test files past their timeout on a loaded machine.
 */
export const COMPILED_IS_FRESH = compiledIsFresh();

export const CLI_ENTRY: readonly string[] = COMPILED_IS_FRESH ? [COMPILED] : SOURCE;

/** The CLI's script alone, for a child that loads tsx itself when it needs it (bench/child.ts). */
export const CLI_SCRIPT = COMPILED_IS_FRESH ? COMPILED : 'src/cli/bin.ts';

/** A module under bench/ to preload in a child: its compiled form beside the compiled CLI, else the source (needs tsx). */
export function benchModule(name: string): string {
  return COMPILED_IS_FRESH ? `./dist/bench/${name}.js` : `./bench/${name}.ts`;
}
