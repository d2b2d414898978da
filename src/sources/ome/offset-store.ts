import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where the follower is: the file (by inode, which survives the daily rename) and the byte after the last line taken. */
export interface FollowPosition {
  readonly dir: string;
  readonly name: string;
  readonly ino: number;
  readonly offset: number;
}

function isPosition(value: unknown): value is FollowPosition {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.dir === 'string' && typeof v.name === 'string' && Number.isSafeInteger(v.ino) && Number.isSafeInteger(v.offset) && (v.offset as number) >= 0;
}

/** The follower's position in the data dir, written after every batch (tmp + rename, so a crash leaves the old or the new one). */
export class OffsetStore {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  /** The saved position for `dir`, or undefined (none, unreadable, or for another directory). */
  async load(dir: string): Promise<FollowPosition | undefined> {
    try {
      const value: unknown = JSON.parse(await readFile(this.#path, 'utf8'));
      return isPosition(value) && value.dir === dir ? value : undefined;
    } catch {
      return undefined;
    }
  }

  async save(position: FollowPosition): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.tmp`;
    await writeFile(tmp, `${JSON.stringify(position)}\n`, { mode: 0o600 });
    await rename(tmp, this.#path);
  }
}
