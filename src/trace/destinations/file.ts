import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileRegistry, type FileRegistry } from '../../backends/shared/file-registry.js';
import type { FileSpec } from '../../backends/shared/file-spec.js';
import { NO_ROTATION } from '../../backends/shared/rotation.js';
import type { SharedFile } from '../../backends/shared/shared-file.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import type { RateLimitedWarnings } from '../tracer-warnings.js';
import type { TracedMessage } from '../message.js';
import type { DestinationCounters, TraceDestination } from './types.js';

/** Bytes not yet on disk past which copies are dropped: a trace copy never makes the caller wait. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Records are written at least this often (ms), as the file backends' default. */
const FLUSH_INTERVAL_MS = 100;
/** Open files (event and trace files together) past which a new trace file is refused; the file backends' default. */
const MAX_OPEN_FILES = 100;
/** OpenSIPS's file_mode default: the messages hold credentials and personal data. */
const FILE_MODE = 0o600;

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in local time, as OpenSIPS writes it. */
export function localStamp(timeUs: number): string {
  const d = new Date(Math.floor(timeUs / 1000));
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * One record of OpenSIPS's tracer file format:
 * `<in|out> <proto> YYYY-MM-DD HH:MM:SS <from_ip>:<from_port> -> <to_ip>:<to_port>\n<raw SIP message>\n\n`.
 * A direction the capture does not know (collected traffic) is written `-`.
 */
export function fileRecord(message: TracedMessage): Buffer {
  const head = `${message.direction === '' ? '-' : message.direction} ${message.proto} ${localStamp(message.timeUs)} `
    + `${message.src.ip}:${message.src.port} -> ${message.dst.ip}:${message.dst.port}\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), message.raw, Buffer.from('\n\n')]);
}

/** What the shared file stack needs to know about a trace file; one format, so a flatstore at the same path is refused. */
function traceFileSpec(realPath: string): FileSpec {
  return {
    key: realPath,
    format: 'sip-trace',
    modeBits: FILE_MODE,
    flushIntervalMs: FLUSH_INTERVAL_MS,
    fsync: false,
    rotation: NO_ROTATION,
    daily: undefined,
    now: Date.now,
  };
}

/**
 * `file:PATH`: appends records through the backends' shared file stack, so the file is
 * opened safely (no symlink, no FIFO, mode 0600), shares one fd with anything else
 * tracing to the same path, and is reopened by `herald rotate` and SIGHUP: after
 * logrotate's `mv`, later records go to a new PATH (issue 10, item 6). The path was
 * confined to files.roots by the caller. `send` never waits: past 4 MiB not yet on
 * disk, or while the disk refuses writes, records are dropped and counted.
 */
export class FileDestination implements TraceDestination {
  readonly type = 'file';
  readonly uri: string;
  readonly #path: string;
  readonly #warnings: RateLimitedWarnings;
  readonly #logger: Logger;
  readonly #registry: FileRegistry;
  readonly #counters = { sent: 0, dropped: 0 };
  #file: SharedFile | undefined;

  constructor(path: string, warnings: RateLimitedWarnings, options: { readonly logger?: Logger; readonly registry?: FileRegistry } = {}) {
    this.#path = path;
    this.uri = `file:${path}`;
    this.#warnings = warnings;
    this.#logger = options.logger ?? silentLogger();
    this.#registry = options.registry ?? fileRegistry;
  }

  async open(): Promise<void> {
    const absolute = resolve(this.#path);
    const realPath = join(await realpath(dirname(absolute)), basename(absolute));
    const file = this.#registry.acquire(traceFileSpec(realPath), MAX_OPEN_FILES, this.#logger);
    try {
      await file.ready();
    } catch (error) {
      await this.#registry.release(file);
      throw error;
    }
    this.#file = file;
  }

  send(message: TracedMessage): void {
    const file = this.#file;
    if (file === undefined || file.backlogBytes > MAX_BUFFERED_BYTES) {
      this.#counters.dropped++;
      return;
    }
    if (file.failure !== undefined) {
      this.#counters.dropped++;
      this.#warnings.warn(this.uri, { err: file.failure, path: this.#path }, 'Trace file write failed; copies are dropped until it is writable.');
      file.retryOwed();
      return;
    }
    file.beginWrite();
    file.push(fileRecord(message));
    void file.commit();
    this.#counters.sent++;
  }

  counters(): Readonly<DestinationCounters> {
    return { ...this.#counters, errors: this.#file?.writeErrors ?? 0 };
  }

  async close(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file !== undefined) await this.#registry.release(file);
  }
}
