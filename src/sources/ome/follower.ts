import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngestContext } from '../ingest/context.js';
import type { Intake } from '../ingest/intake.js';
import { placed } from '../ingest/outcome.js';
import { listLogFiles, type LogFile } from './log-files.js';
import type { FollowPosition, OffsetStore } from './offset-store.js';
import { parseOmeLine } from './parse-line.js';

/*
 *  Follows OvenMediaEngine's events.log through its daily rolling:
 *
 *   poll ─▶ list events.log[.YYYYMMDD] ─▶ current file (by inode: a rename keeps it)
 *        ─▶ read complete lines from the saved offset ─▶ intake ─▶ bus ─▶ save offset
 *        ─▶ at its end, if a newer file exists: its unterminated last line is taken
 *           (the writer has moved on), then the newer file from byte 0
 *
 *  A torn last line in the current file waits for its newline. The offset is saved
 *  in the data dir after every batch and on close, so a restart neither loses nor
 *  repeats a line (a crash between a raise and the save repeats that batch).
 *  While the bus is full the follower stops reading: a file can wait.
 */

const NEWLINE = 0x0a;
const MIN_CHUNK = 64 * 1024;

export interface OmeFollowerOptions {
  readonly dir: string;
  /** `events.log`. */
  readonly base: string;
  readonly ctx: IngestContext;
  readonly intake: Intake;
  readonly store: OffsetStore;
  readonly maxLineBytes: number;
  readonly pollMs: number;
}

export class OmeFollower {
  readonly #o: OmeFollowerOptions;
  readonly #chunk: number;
  #pos: FollowPosition | undefined;
  #skipping = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: OmeFollowerOptions) {
    this.#o = options;
    this.#chunk = Math.max(MIN_CHUNK, options.maxLineBytes + 1);
  }

  /** Where the next line is read from (for status). */
  get position(): FollowPosition | undefined {
    return this.#pos;
  }

  async start(): Promise<void> {
    this.#pos = await this.#o.store.load(this.#o.dir);
    await this.poll();
  }

  /** One pass now (tests call it instead of waiting for the timer). */
  poll(): Promise<void> {
    clearTimeout(this.#timer);
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
      if (!this.#stopped) this.#timer = setTimeout(() => void this.poll(), this.#o.pollMs).unref();
    });
    return this.#running;
  }

  /** Stops polling, lets a running pass finish, and saves the position. */
  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
    if (this.#pos !== undefined) await this.#o.store.save(this.#pos);
  }

  async #pass(): Promise<void> {
    for (let files = await listLogFiles(this.#o.dir, this.#o.base); !this.#stopped; files = await listLogFiles(this.#o.dir, this.#o.base)) {
      const current = this.#current(files);
      if (current === undefined) return;
      const drained = await this.#readLines(current, false);
      const next = files[files.indexOf(current) + 1];
      if (!drained || next === undefined) return;
      // The writer has moved on to a newer file: what is left here is a last line without its newline.
      await this.#readLines(current, true);
      this.#pos = { dir: this.#o.dir, name: next.name, ino: next.ino, offset: 0 };
      this.#skipping = false;
      await this.#o.store.save(this.#pos);
    }
  }

  /** The file being read: the saved one by inode, else (deleted) the first one after it; first start: the newest. */
  #current(files: readonly LogFile[]): LogFile | undefined {
    const pos = this.#pos;
    if (pos === undefined) {
      const newest = files.at(-1);
      if (newest !== undefined) this.#pos = { dir: this.#o.dir, name: newest.name, ino: newest.ino, offset: 0 };
      return newest;
    }
    const same = files.find((file) => file.ino === pos.ino);
    if (same !== undefined) {
      if (same.name !== pos.name) this.#pos = { ...pos, name: same.name };
      return same;
    }
    const savedKey = files.find((file) => file.name === pos.name)?.key ?? pos.name.slice(this.#o.base.length + 1);
    const after = files.find((file) => file.key > (savedKey === '' ? '99999999' : savedKey));
    if (after !== undefined) this.#pos = { dir: this.#o.dir, name: after.name, ino: after.ino, offset: 0 };
    return after;
  }

  /**
   * Takes complete lines from the saved offset; with `final`, the unterminated rest
   * as a line too. Returns true when nothing complete is left (only a torn line, or
   * nothing), false when it stopped early (bus full, closing).
   */
  async #readLines(file: LogFile, final: boolean): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(join(this.#o.dir, file.name), 'r');
    } catch {
      return true;
    }
    try {
      return await this.#readFrom(handle, file.name, final);
    } finally {
      await handle.close();
    }
  }

  async #readFrom(handle: FileHandle, name: string, final: boolean): Promise<boolean> {
    const size = (await handle.stat()).size;
    let pos = this.#pos as FollowPosition;
    // Truncated in place (copytruncate): start again from its beginning.
    if (size < pos.offset) pos = { ...pos, offset: 0 };
    while (pos.offset < size) {
      if (this.#stopped || this.#o.intake.busy()) return false;
      const buffer = Buffer.allocUnsafe(Math.min(size - pos.offset, this.#chunk));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, pos.offset);
      const taken = this.#takeLines(buffer.subarray(0, bytesRead), name, pos.offset, final);
      if (taken === 0) break;
      pos = { ...pos, offset: pos.offset + taken };
      this.#pos = pos;
      await this.#o.store.save(pos);
    }
    return true;
  }

  /** Takes the complete lines of `data` (read at `offset`); returns how many bytes were used. */
  #takeLines(data: Buffer, name: string, offset: number, final: boolean): number {
    let start = 0;
    if (this.#skipping) {
      const end = data.indexOf(NEWLINE);
      if (end < 0) return data.length;
      this.#skipping = false;
      start = end + 1;
    }
    for (let end = data.indexOf(NEWLINE, start); end >= 0; end = data.indexOf(NEWLINE, start)) {
      this.#line(data.subarray(start, end), name, offset + start);
      start = end + 1;
    }
    const rest = data.length - start;
    if (rest > 0 && final) {
      this.#line(data.subarray(start), name, offset + start);
      return data.length;
    }
    if (rest >= this.#o.maxLineBytes) {
      // No newline within the limit: refuse the line and skip to its end.
      this.#o.intake.stats.received(rest);
      this.#o.intake.stats.rejected('too_large');
      this.#skipping = true;
      return data.length;
    }
    return start;
  }

  #line(bytes: Buffer, name: string, offset: number): void {
    this.#o.intake.stats.received(bytes.length + 1);
    if (bytes.length > this.#o.maxLineBytes) {
      this.#o.intake.stats.rejected('too_large');
      return;
    }
    const text = bytes.toString('utf8').replace(/\r$/, '');
    if (text.trim() === '') return;
    const outcome = placed(parseOmeLine(text, this.#o.ctx), { offset });
    this.#o.intake.take(outcome.ok ? outcome : { ok: false, rejection: { ...outcome.rejection, message: `${name} ${outcome.rejection.message}` } });
  }
}
