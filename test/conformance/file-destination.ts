import { existsSync, lstatSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { rotateFiles } from '../../src/backends/shared/file-registry.js';
import type { BackendFactory } from '../../src/bus/backend.js';
import { tempDir } from '../backends/helpers.js';
import type { ConformanceSetup } from './backend-suite.js';

/**
 * A file destination for the conformance suite. Breaking it is what logrotate plus an
 * attacker can do: `mv` the file, put a symlink at the path, rotate. The reopen is
 * refused (never followed), so lines are owed and writes come back retryable; healing
 * removes the link, and the next attempt creates the file afresh.
 */
export function fileDestination(
  t: TestContext, factory: BackendFactory, transport: string, markers: (text: string) => readonly string[],
): ConformanceSetup {
  const dir = tempDir(t, `herald-conformance-${transport}-`);
  const path = join(dir, 'events.log');
  const moved = `${path}.moved`;
  const read = (file: string) => (existsSync(file) && lstatSync(file).isFile() ? markers(readFileSync(file, 'utf8')) : []);
  return {
    factory,
    socket: `${transport}:${path}`,
    context: { fileRoots: [dir], dataDir: dir },
    received: async () => [...read(moved), ...read(path)],
    breakRetryable: async () => {
      const outside = join(tempDir(t, 'herald-conformance-outside-'), 'elsewhere.log');
      writeFileSync(outside, '');
      await rename(path, moved);
      symlinkSync(outside, path);
      await rotateFiles(path);
      return async () => unlinkSync(path);
    },
  };
}
