import { realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WriteResult } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import { closeFd, datasync, fstatSize, openAppend, PartialWriteError, skipBytes, truncateFd, writeAll } from './file-io.js';
import type { Segment } from './segment.js';

/** Bytes owed to the file after a failed write, written first by the next attempt. */
interface Owed {
  readonly chunks: readonly Buffer[];
  readonly bytes: number;
  /** fsync writers still waiting for these bytes. */
  readonly segments: readonly Segment[];
}

export interface FileWriterOptions {
  readonly modeBits: number;
  /** The real directory the file was confined to at subscribe time; every (re)open checks it still is. */
  readonly directory: string;
  readonly fsync: boolean;
  /** Called on every failed attempt (the caller rate-limits its log and arms a retry). */
  readonly onFailure: (error: Error) => void;
  /** Called when owed bytes reached the file after failures. */
  readonly onRecovery: () => void;
}

const OK: WriteResult = Object.freeze({ status: 'ok' });

/**
 * The fd of one file and what happens when writing to it fails. Only the
 * SharedFile worker calls it, one call at a time.
 */
export class FileWriter {
  readonly #options: FileWriterOptions;
  #fd: number | undefined;
  /** Bytes in the file as far as we know (we are its only writer): what a failed attempt truncates back to. */
  #size = 0;
  #owed: Owed | undefined;
  #failure: Error | undefined;
  /** Path of the file written; changes only through `reopen`. */
  filename: string;

  constructor(filename: string, options: FileWriterOptions) {
    this.filename = filename;
    this.#options = options;
  }

  /** The error keeping owed bytes from the file, if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Whether bytes (or an fdatasync) from a failed attempt are still owed to the file. */
  get owes(): boolean {
    return this.#owed !== undefined;
  }

  async open(): Promise<void> {
    if (this.#fd !== undefined) return;
    await this.#checkDirectory();
    const opened = await openAppend(this.filename, this.#options.modeBits);
    this.#fd = opened.fd;
    this.#size = opened.size;
  }

  /**
   * The directory may have been swapped for a symlink since subscribe (`mv dir; ln -s /etc dir`):
   * O_NOFOLLOW guards only the last component, so the real directory is checked again on every open.
   */
  async #checkDirectory(): Promise<void> {
    const real = await realpath(dirname(this.filename));
    if (real !== this.#options.directory) {
      throw new HeraldError('HERALD_ERR_PATH_NOT_ALLOWED', `Refusing to open ${this.filename}: its directory now resolves to ${real}, not ${this.#options.directory}`);
    }
  }

  /** Closes the current fd; the next write opens `filename` (which the caller may change first). */
  async closeFd(): Promise<void> {
    if (this.#fd !== undefined) await closeFd(this.#fd).catch(() => undefined);
    this.#fd = undefined;
  }

  /** Writes owed bytes, then the segments, in one writev (plus fdatasync with fsync); settles each segment. */
  async write(group: readonly Segment[]): Promise<void> {
    const head = this.#owed;
    const chunks: Buffer[] = head === undefined ? [] : [...head.chunks];
    let bytes = head?.bytes ?? 0;
    for (const segment of group) {
      chunks.push(...segment.chunks);
      bytes += segment.bytes;
    }
    let written = 0;
    try {
      if (bytes > 0 || (head !== undefined && this.#options.fsync)) {
        await this.open();
        written = await writeAll(this.#fd as number, chunks);
        if (this.#options.fsync) await datasync(this.#fd as number);
        this.#size += bytes;
      }
    } catch (error) {
      if (error instanceof PartialWriteError) written = error.written;
      await this.#failed(error as Error, { chunks, bytes, segments: [] }, written, head, group);
      return;
    }
    if (this.#failure !== undefined) this.#options.onRecovery();
    this.#owed = undefined;
    this.#failure = undefined;
    for (const segment of head?.segments ?? []) segment.settle(OK);
    for (const segment of group) segment.settle(OK);
  }

  /** Gives up owed bytes (at close); their fsync writers get `failed`. Returns how many bytes were lost. */
  abandon(): number {
    const owed = this.#owed;
    this.#owed = undefined;
    for (const segment of owed?.segments ?? []) segment.settle({ status: 'failed', error: this.#failure ?? new Error('file closed') });
    return owed?.bytes ?? 0;
  }

  /**
   * After a failed write: take back what reached the file when we can (ftruncate to
   * the size before), so the attempt is all-or-nothing. fsync writers then retry
   * through the bus; buffered (already acknowledged) bytes stay owed here and are
   * written first next time. A part-line we cannot take back is finished from where the disk stopped.
   */
  async #failed(error: Error, attempt: Owed, written: number, head: Owed | undefined, group: readonly Segment[]): Promise<void> {
    this.#failure = error;
    this.#options.onFailure(error);
    const undone = written === 0 || await this.#rollBack(written);
    if (undone && this.#options.fsync) {
      const retryable: WriteResult = { status: 'retryable', error };
      for (const segment of group) segment.settle(retryable);
      this.#owed = head;
    } else if (undone) {
      for (const segment of group) segment.settle(OK);
      this.#owed = attempt;
    } else {
      this.#size += written;
      const waiting = this.#options.fsync ? [...(head?.segments ?? []), ...group] : [];
      if (!this.#options.fsync) for (const segment of group) segment.settle(OK);
      this.#owed = { chunks: skipBytes(attempt.chunks, written), bytes: attempt.bytes - written, segments: waiting };
    }
    if (this.#owed === undefined) this.#failure = undefined;
  }

  async #rollBack(written: number): Promise<boolean> {
    if (this.#fd === undefined) return false;
    try {
      if (await fstatSize(this.#fd) !== this.#size + written) return false;
      await truncateFd(this.#fd, this.#size);
      return true;
    } catch {
      return false;
    }
  }
}
