import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { TOKEN_FILE } from '../runtime/token.js';

/** Where a local daemon's generated token was looked for, and what was found. */
export interface TokenLookup {
  readonly token: string | undefined;
  /** The file the token came from, when one was found. */
  readonly path: string | undefined;
  /** Every place tried, in order, as `PATH (from WHERE)`, for the 401 message. */
  readonly tried: readonly string[];
}

export interface TokenLookupOptions {
  /** `--data-dir`, when given. */
  readonly dataDir?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Finds `<data_dir>/mi.token` the way `herald serve` places it: the data dir from
 * `--data-dir`, else `HERALD_DATA_DIR`, else `data_dir` of the config in `HERALD_CONFIG`,
 * else `./herald-data`. The first readable, non-empty file wins.
 */
export async function findLocalToken(options: TokenLookupOptions): Promise<TokenLookup> {
  const tried: string[] = [];
  for (const { dir, from } of await candidateDirs(options)) {
    const path = join(resolve(dir), TOKEN_FILE);
    if (tried.some((line) => line.startsWith(`${path} `))) continue;
    tried.push(`${path} (${from})`);
    const token = await readFile(path, 'utf8').then((text) => text.trim(), () => '');
    if (token !== '') return { token, path, tried };
  }
  return { token: undefined, path: undefined, tried };
}

async function candidateDirs(options: TokenLookupOptions): Promise<Array<{ dir: string; from: string }>> {
  const dirs: Array<{ dir: string; from: string }> = [];
  if (options.dataDir !== undefined && options.dataDir !== '') dirs.push({ dir: options.dataDir, from: '--data-dir' });
  const envDir = options.env.HERALD_DATA_DIR;
  if (envDir !== undefined && envDir !== '') dirs.push({ dir: envDir, from: 'HERALD_DATA_DIR' });
  const configFile = options.env.HERALD_CONFIG;
  if (configFile !== undefined && configFile !== '') {
    // A config that cannot be read or is invalid simply gives no candidate; `herald serve` would report it.
    const loaded = await loadConfig(configFile, {}).catch(() => undefined);
    if (loaded !== undefined) dirs.push({ dir: loaded.config.data_dir, from: `data_dir of ${configFile}` });
  }
  dirs.push({ dir: './herald-data', from: 'the working directory' });
  return dirs;
}
