import { createWriteStream, type WriteStream } from 'node:fs';
import type { RateLimitedWarnings } from '../tracer-warnings.js';
import type { TracedMessage } from '../message.js';
import type { DestinationCounters, TraceDestination } from './types.js';

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
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

/** `file:PATH`: appends records, creating the file with mode 0600. The path was confined to files.roots by the caller. */
export class FileDestination implements TraceDestination {
  readonly type = 'file';
  readonly uri: string;
  readonly #path: string;
  readonly #warnings: RateLimitedWarnings;
  readonly #counters: DestinationCounters = { sent: 0, dropped: 0, errors: 0 };
  #stream: WriteStream | undefined;

  constructor(path: string, warnings: RateLimitedWarnings) {
    this.#path = path;
    this.uri = `file:${path}`;
    this.#warnings = warnings;
  }

  async open(): Promise<void> {
    const stream = createWriteStream(this.#path, { flags: 'a', mode: FILE_MODE });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    stream.on('error', (error) => {
      this.#counters.errors++;
      this.#warnings.warn(`file:${this.#path}`, { err: error, path: this.#path }, 'Trace file write failed.');
    });
    this.#stream = stream;
  }

  send(message: TracedMessage): void {
    const stream = this.#stream;
    if (stream === undefined || stream.destroyed || stream.writableLength > MAX_BUFFERED_BYTES) {
      this.#counters.dropped++;
      return;
    }
    stream.write(fileRecord(message));
    this.#counters.sent++;
  }

  counters(): Readonly<DestinationCounters> {
    return { ...this.#counters };
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream === undefined || stream.destroyed) return;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
}
