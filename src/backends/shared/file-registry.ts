import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { HeraldError } from '../../errors/herald-error.js';
import type { Logger } from '../../log/logger.js';
import { SharedFile, type FileSpec, type RotationInfo } from './shared-file.js';

/** What `listOpenFiles` reports per file. */
export interface OpenFileInfo {
  readonly path: string;
  readonly filename: string;
  readonly format: string;
  /** Distinct sockets writing this file (subscriptions to one socket share its backend). */
  readonly sockets: number;
  readonly writeErrors: number;
  readonly failing: string | undefined;
}

interface Entry {
  readonly file: SharedFile;
  readonly signature: string;
  refs: number;
}

/** A stable text form of the file-level options, to spot subscriptions that disagree. */
function signatureOf(spec: FileSpec): string {
  const { key: _key, now: _now, ...rest } = spec;
  return JSON.stringify(rest);
}

/**
 * The process's open event files: one SharedFile (one fd) per real path, shared
 * by every backend writing it and counted against max_open_files. Process-wide on
 * purpose, like OpenSIPS's per-process table: SIGHUP and `rotateFiles` reach every file.
 */
export class FileRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #closing = new Map<string, Promise<void>>();

  /**
   * Takes a reference on the file for `spec.key`, creating it when new.
   * @throws HeraldError HERALD_ERR_LIMIT when `maxOpenFiles` files are open (nothing is evicted)
   * @throws HeraldError HERALD_ERR_SUBSCRIBE when the file is open with other file options
   */
  acquire(spec: FileSpec, maxOpenFiles: number, logger: Logger): SharedFile {
    const signature = signatureOf(spec);
    const existing = this.#entries.get(spec.key);
    if (existing !== undefined) {
      if (existing.signature !== signature) {
        throw new HeraldError('HERALD_ERR_SUBSCRIBE', `File ${spec.key} is already open as ${existing.file.spec.format} with other file options `
          + `(${existing.signature}); subscribe with the same options or use another path`);
      }
      existing.refs++;
      return existing.file;
    }
    if (this.#entries.size >= maxOpenFiles) {
      throw new HeraldError('HERALD_ERR_LIMIT', `Cannot open ${spec.key}: max_open_files (${maxOpenFiles}) files are already open `
        + `(${[...this.#entries.keys()].join(', ')}). Nothing was evicted; a slot frees once a file has no subscribers`);
    }
    const file = new SharedFile(spec, logger, this.#closing.get(spec.key));
    this.#entries.set(spec.key, { file, signature, refs: 1 });
    return file;
  }

  /** Drops a reference; the last one frees the slot at once and closes the file in the background. */
  release(file: SharedFile): Promise<void> {
    const entry = this.#entries.get(file.spec.key);
    if (entry === undefined || entry.file !== file) return Promise.resolve();
    entry.refs--;
    if (entry.refs > 0) return Promise.resolve();
    this.#entries.delete(file.spec.key);
    const closing = file.close();
    this.#closing.set(file.spec.key, closing);
    void closing.finally(() => {
      if (this.#closing.get(file.spec.key) === closing) this.#closing.delete(file.spec.key);
    });
    return closing;
  }

  get size(): number {
    return this.#entries.size;
  }

  list(): OpenFileInfo[] {
    return [...this.#entries.values()].map(({ file, refs }) => ({
      path: file.spec.key,
      filename: file.filename,
      format: file.spec.format,
      sockets: refs,
      writeErrors: file.writeErrors,
      failing: file.failure?.message,
    }));
  }

  /**
   * Rotates one file (by its subscribed path, real path or current file name) or
   * every file. Resolves once each old file has its lines and the new one is open.
   * @throws HeraldError HERALD_ERR_NOT_FOUND when a path is given and no open file matches it
   */
  async rotate(path?: string): Promise<RotationInfo[]> {
    const files = path === undefined ? [...this.#entries.values()].map((e) => e.file) : this.#match(path);
    if (path !== undefined && files.length === 0) {
      throw new HeraldError('HERALD_ERR_NOT_FOUND', `No open events file matches ${path}`);
    }
    return Promise.all(files.map((file) => file.rotate('command')));
  }

  #match(path: string): SharedFile[] {
    const absolute = resolve(path);
    const candidates = new Set([absolute, realParentPath(absolute)]);
    return [...this.#entries.values()].map((e) => e.file)
      .filter((file) => candidates.has(file.spec.key) || candidates.has(file.filename));
  }
}

function realParentPath(absolute: string): string {
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/** The registry every file backend of this process uses. */
export const fileRegistry = new FileRegistry();

/**
 * Rotates the events file at `path` (flatstore or jsonl), or every open file:
 * logrotate's contract. After `mv` then rotate, every line written before the call
 * is in the moved file and every later one in the new file. Raises E_FLATSTORE_ROTATION.
 */
export function rotateFiles(path?: string): Promise<RotationInfo[]> {
  return fileRegistry.rotate(path);
}

/** Files open by file backends, for statistics and the management interface. */
export function listOpenFiles(): OpenFileInfo[] {
  return fileRegistry.list();
}
