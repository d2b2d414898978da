import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Herald's version from its package.json, found upward from this file (works from src/ and dist/). */
export function heraldVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'herald' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // No package.json at this level; keep walking up.
    }
    dir = dirname(dir);
  }
  return (cached = '0.0.0');
}
