import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WriteResult } from '../../bus/backend.js';
import type { Logger } from '../../log/logger.js';
import { FileTimers } from './file-timers.js';
import { FileWriter } from './file-writer.js';
import { RotationAnnouncer } from './rotation-announcer.js';
import { activeFileName, finishedFileTarget, hasContent, moveAside, type RotationReason } from './rotation.js';
import { CHUNK_BYTES, combineResults, deferred, LineEncoder, Segment, type Deferred } from './segment.js';
import { dayStamp, nextMidnightMs } from './strftime.js';
import type { FileSpec, RotationInfo, RotationListener } from './file-spec.js';

/*
 *  One open file, shared by every backend writing its real path.
 *
 *   push(line) ─▶ current segment ─seal─▶ items: [data][data][reopen][barrier]… ─▶ worker (one at a time)
 *                                                                                     │ write + fdatasync
 *   A rotation seals the current segment before queueing the reopen, so every line    ▼
 *   pushed before the command lands in the old file and every line after in the new.  fd
 */

export type { FileSpec, RotationInfo, RotationListener } from './file-spec.js';

type Item =
  | { readonly kind: 'data'; readonly segment: Segment }
  | { readonly kind: 'reopen'; readonly reason: RotationReason; readonly done: Deferred<RotationInfo> }
  | { readonly kind: 'follow-clock' }
  | { readonly kind: 'barrier'; readonly done: Deferred<void> };

const OK: WriteResult = Object.freeze({ status: 'ok' });
const OK_PROMISE = Promise.resolve(OK);
/** Past this many bytes waiting for the worker, writers wait: memory stays bounded. */
const MAX_QUEUED_BYTES = 16 * CHUNK_BYTES;

export class SharedFile {
  readonly spec: FileSpec;
  /** Failed write attempts since open (each is logged, rate-limited). */
  writeErrors = 0;
  readonly #logger: Logger;
  readonly #after: Promise<void>;
  readonly #announcer: RotationAnnouncer;
  readonly #timers: FileTimers;
  readonly #writer: FileWriter;
  readonly #encoder = new LineEncoder();
  #opened: Promise<void> | undefined;
  #fileDay = '';
  #current = new Segment();
  #items: Item[] = [];
  #queuedBytes = 0;
  #working = false;
  #touching: Segment[] | undefined;
  #lines = 0;
  /** A counted line was pushed since the current file became current. */
  #received = false;
  #bytes = 0;
  #closing: Promise<void> | undefined;

  /** `after`: the close of a previous instance for the same path, so its last bytes land first. */
  constructor(spec: FileSpec, logger: Logger, after: Promise<void> = Promise.resolve()) {
    this.spec = spec;
    this.#logger = logger;
    this.#after = after;
    this.#announcer = new RotationAnnouncer(spec, logger);
    this.#timers = new FileTimers(spec, {
      flush: () => this.#sealAndKick(),
      retry: () => this.#sealAndKick(true),
      period: () => this.#periodTick(),
      day: () => this.#rollDay(),
    });
    this.#writer = new FileWriter(activeFileName(spec.key, spec.rotation, spec.now()), {
      modeBits: spec.modeBits,
      directory: dirname(spec.key),
      fsync: spec.fsync,
      onFailure: (error) => {
        this.writeErrors++;
        this.#timers.logFailure(this.#logger, error, this.#writer.filename);
        this.#timers.armRetry();
      },
      onRecovery: () => this.#logger.info({ file: this.#writer.filename }, 'Events file is writable again; owed lines written.'),
    });
  }

  /** The file written right now (path plus suffix). */
  get filename(): string {
    return this.#writer.filename;
  }

  /** Bytes pushed but not yet handed to the disk: what a writer that cannot wait (a trace copy) bounds. */
  get backlogBytes(): number {
    return this.#queuedBytes + this.#encoder.pendingChars;
  }

  /** The error that keeps owed bytes from the disk, if any. */
  get failure(): Error | undefined {
    return this.#writer.failure;
  }

  addListener(listener: RotationListener): void {
    this.#announcer.addListener(listener);
  }

  removeListener(listener: RotationListener): void {
    this.#announcer.removeListener(listener);
  }

  /** Opens the file once; every sharer awaits the same open. */
  ready(): Promise<void> {
    this.#opened ??= this.#openInitial();
    return this.#opened;
  }

  /** Starts a write: later segments sealed before `commit` belong to it. Rolls the day first when due. */
  beginWrite(): void {
    this.#touching = [];
    if (this.spec.daily !== undefined && this.spec.now() >= this.#timers.nextDayMs) this.#rollDay();
  }

  /**
   * Appends one line (ending in `\n`); count and size rotation happen right after
   * the line that reaches them. `counted: false` (rotation events) writes without
   * counting, so a file logging its own rotations cannot rotate itself in a loop.
   */
  push(line: string | Buffer, counted = true): void {
    if (typeof line === 'string') this.#encoder.append(line);
    else this.#encoder.appendBytes(line);
    this.#timers.armFlush();
    if (!counted) return;
    this.#lines++;
    this.#received = true;
    const { countLines, sizeBytes } = this.spec.rotation;
    if (sizeBytes > 0) this.#bytes += typeof line === 'string' ? Buffer.byteLength(line) : line.length;
    if (countLines > 0 && this.#lines >= countLines) void this.rotate('count');
    else if (sizeBytes > 0 && this.#bytes >= sizeBytes) void this.rotate('size');
  }

  /** Ends a write. With fsync, resolves once its lines are written and fdatasync'd; else once buffered. */
  commit(): Promise<WriteResult> {
    if (this.spec.fsync) {
      this.#seal();
      const touched = this.#touching ?? [];
      this.#touching = undefined;
      this.#kick();
      return Promise.all(touched.map((segment) => segment.result())).then(combineResults);
    }
    this.#touching = undefined;
    if (this.#encoder.pendingChars >= CHUNK_BYTES) this.#sealAndKick();
    if (this.#queuedBytes > MAX_QUEUED_BYTES) return this.#barrier().then(() => OK);
    return OK_PROMISE;
  }

  /** Tries owed bytes again now (a writer was just turned away because of them). */
  retryOwed(): void {
    if (!this.#working) this.#sealAndKick(true);
  }

  /** Resolves once every line pushed before the call is written (or owed after a failure), and rolled-file upkeep is done. */
  async flush(): Promise<void> {
    this.#seal(this.#writer.owes);
    await this.#barrier();
    await this.#announcer.idle();
  }

  /** Rotates: lines pushed so far go to the current file, later ones to the reopened one. */
  rotate(reason: RotationReason): Promise<RotationInfo> {
    this.#seal();
    this.#lines = 0;
    this.#bytes = 0;
    this.#received = false;
    const done = deferred<RotationInfo>();
    this.#items.push({ kind: 'reopen', reason, done });
    this.#kick();
    return done.promise;
  }

  /** Flushes, then closes the fd. Idempotent. Bytes still owed after a last attempt are logged as lost. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#timers.clear();
    await this.flush().catch(() => undefined);
    const lost = this.#writer.abandon();
    if (lost > 0) this.#logger.error({ file: this.filename, bytes: lost, err: this.failure }, 'Closing an events file with unwritten bytes; they are lost.');
    await this.#writer.closeFd();
  }

  async #openInitial(): Promise<void> {
    await this.#after;
    if (this.spec.daily !== undefined) await this.#rollStaleDay();
    this.#fileDay = this.#today();
    this.#timers.setNextDay(this.spec.daily === undefined ? Infinity : nextMidnightMs(this.spec.now(), this.spec.daily.timezone));
    await this.#writer.open();
    this.#timers.armPeriod();
    this.#announcer.maintain();
  }

  #today(): string {
    return dayStamp(this.spec.now(), this.spec.daily?.timezone ?? this.spec.rotation.timezone);
  }

  /** A file left from an earlier day (e.g. before a restart) is rolled before writing today's lines. */
  async #rollStaleDay(): Promise<void> {
    const stats = await lstat(this.spec.key).catch(() => undefined);
    if (stats === undefined || !stats.isFile() || stats.size === 0) return; // Not a regular file: the open refuses it.
    const day = dayStamp(stats.mtimeMs, this.spec.daily?.timezone ?? 'local');
    if (day >= this.#today()) return;
    const moved = await moveAside(this.spec.key, `${this.spec.key}.${day}`);
    if (moved !== undefined) this.#announcer.announce({ timestampS: Math.floor(this.spec.now() / 1000), reason: 'period', filename: this.spec.key, oldFilename: moved }, true);
  }

  /**
   * A rotate_period boundary. A file that received no line since it became current is
   * not rotated: no empty file per period, no event (issue 12, point 16). With a suffix
   * the next file's name still follows the clock; that file is created by its first line.
   */
  #periodTick(): void {
    if (this.#received) {
      void this.rotate('period');
    } else if (this.spec.rotation.suffix !== '') {
      this.#items.push({ kind: 'follow-clock' });
      this.#kick();
    }
  }

  async #followClock(): Promise<void> {
    const name = activeFileName(this.spec.key, this.spec.rotation, this.spec.now());
    if (name === this.#writer.filename) return;
    await this.#writer.closeFd();
    this.#writer.filename = name;
  }

  #rollDay(): void {
    this.#timers.setNextDay(Infinity);
    void this.rotate('period');
  }

  #seal(force = false): void {
    if (this.#encoder.pendingChars === 0 && !force) return;
    const segment = this.#current;
    this.#current = new Segment();
    for (const chunk of this.#encoder.take()) {
      segment.chunks.push(chunk);
      segment.bytes += chunk.length;
    }
    this.#items.push({ kind: 'data', segment });
    this.#queuedBytes += segment.bytes;
    this.#touching?.push(segment);
  }

  #sealAndKick(retryOwed = false): void {
    this.#seal(retryOwed && this.#writer.owes);
    this.#kick();
  }

  #barrier(): Promise<void> {
    const done = deferred<void>();
    this.#items.push({ kind: 'barrier', done });
    this.#kick();
    return done.promise;
  }

  #kick(): void {
    if (!this.#working && this.#items.length > 0) void this.#work();
  }

  async #work(): Promise<void> {
    this.#working = true;
    try {
      for (let item = this.#items.shift(); item !== undefined; item = this.#items.shift()) {
        if (item.kind === 'data') {
          const group = [item.segment];
          while (this.#items[0]?.kind === 'data') group.push((this.#items.shift() as { segment: Segment }).segment);
          for (const segment of group) this.#queuedBytes -= segment.bytes;
          await this.#writer.write(group);
        } else if (item.kind === 'reopen') {
          item.done.resolve(await this.#reopen(item.reason));
        } else if (item.kind === 'follow-clock') {
          await this.#followClock();
        } else {
          item.done.resolve();
        }
      }
    } finally {
      this.#working = false;
    }
  }

  async #reopen(reason: RotationReason): Promise<RotationInfo> {
    const { spec } = this;
    const oldName = this.#writer.filename;
    if (reason === 'period' && !(await hasContent(oldName))) return this.#keepEmptyFile(oldName);
    const target = finishedFileTarget(spec, reason, this.#fileDay, spec.now());
    await this.#writer.closeFd();
    let movedTo: string | undefined;
    try {
      if (target !== undefined) movedTo = await moveAside(oldName, target);
      this.#writer.filename = activeFileName(spec.key, spec.rotation, spec.now());
      this.#fileDay = this.#today();
      if (spec.daily !== undefined) this.#timers.setNextDay(nextMidnightMs(spec.now(), spec.daily.timezone));
      // After a period roll the next file is created by its first line, so a quiet spell leaves no empty files.
      if (reason !== 'period') await this.#writer.open();
    } catch (error) {
      // The next write retries the open; until then lines are owed, not lost.
      this.#timers.logFailure(this.#logger, error as Error, this.#writer.filename);
    }
    const info: RotationInfo = { timestampS: Math.floor(spec.now() / 1000), reason, filename: this.#writer.filename, oldFilename: movedTo ?? oldName };
    this.#announcer.announce(info, movedTo !== undefined);
    return info;
  }

  /** A period roll of an empty file (an idle jsonl day) would only leave an empty file behind: the file stays, no event. */
  #keepEmptyFile(name: string): RotationInfo {
    const { spec } = this;
    this.#fileDay = this.#today();
    if (spec.daily !== undefined) this.#timers.setNextDay(nextMidnightMs(spec.now(), spec.daily.timezone));
    return { timestampS: Math.floor(spec.now() / 1000), reason: 'period', filename: name, oldFilename: name };
  }
}
