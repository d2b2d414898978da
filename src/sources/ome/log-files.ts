import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * OvenMediaEngine's event log in one directory: `events.log` rolled daily to
 * `events.log.YYYYMMDD` (Enterprise), or written straight to the dated names
 * (open source). Oldest first; the bare name is always the newest.
 */

export interface LogFile {
  readonly name: string;
  readonly ino: number;
  readonly size: number;
  /** Sort key: the date, or `99999999` for the bare (current) name. */
  readonly key: string;
}

const NEWEST = '99999999';

export async function listLogFiles(dir: string, base: string): Promise<LogFile[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const files: LogFile[] = [];
  for (const name of names) {
    let key: string | undefined;
    if (name === base) key = NEWEST;
    else if (name.startsWith(`${base}.`) && /^\d{8}$/.test(name.slice(base.length + 1))) key = name.slice(base.length + 1);
    if (key === undefined) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info?.isFile()) files.push({ name, ino: info.ino, size: info.size, key });
  }
  return files.sort((a, b) => a.key.localeCompare(b.key) || a.name.localeCompare(b.name));
}
