import { mkdir, open, readdir, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/*
 * The journal's files: numbered segments, written in turn and read (then removed) oldest
 * first, and a cursor saying how far into the oldest one a clean stop had replayed.
 *
 *   <dir>/000000000001.seg  000000000002.seg …   cursor.json
 */

const SEGMENT_NAME = /^(\d{12})\.seg$/;
const CURSOR_FILE = 'cursor.json';

export interface Segment {
  readonly seq: number;
  readonly path: string;
  /** Bytes written to the file so far (what a reader may read). */
  size: number;
  /** No more writes: read to the end, it is removed. */
  sealed: boolean;
  writer: FileHandle | undefined;
  reader: FileHandle | undefined;
}

export interface Cursor {
  readonly seq: number;
  readonly offset: number;
}

/** The segments a previous run left, oldest first, all sealed. Creates the directory. */
export async function existingSegments(dir: string): Promise<Segment[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const segments: Segment[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT_NAME.exec(name);
    if (match === null) continue;
    const path = join(dir, name);
    segments.push({ seq: Number(match[1]), path, size: (await stat(path)).size, sealed: true, writer: undefined, reader: undefined });
  }
  return segments.sort((a, b) => a.seq - b.seq);
}

export async function createSegment(dir: string, seq: number): Promise<Segment> {
  const path = join(dir, `${String(seq).padStart(12, '0')}.seg`);
  const writer = await open(path, 'wx', 0o600);
  return { seq, path, size: 0, sealed: false, writer, reader: undefined };
}

/** Up to `maxBytes` written bytes from `offset` into a fresh buffer (records are views of it). */
export async function readSegment(segment: Segment, offset: number, maxBytes: number): Promise<Buffer> {
  segment.reader ??= await open(segment.path, 'r');
  const length = Math.min(maxBytes, segment.size - offset);
  const buffer = Buffer.allocUnsafeSlow(length); // its own ArrayBuffer: a read chunk is transferred to another thread
  const { bytesRead } = await segment.reader.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

export async function closeSegment(segment: Segment): Promise<void> {
  const { writer, reader } = segment;
  segment.writer = undefined;
  segment.reader = undefined;
  await writer?.close();
  await reader?.close();
}

export async function removeSegment(segment: Segment): Promise<void> {
  await closeSegment(segment);
  await rm(segment.path, { force: true });
}

/** The cursor a clean stop left, removed once read: after a crash replay starts at the segment's beginning. */
export async function takeCursor(dir: string): Promise<Cursor | undefined> {
  const path = join(dir, CURSOR_FILE);
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Cursor>;
    await rm(path, { force: true });
    return Number.isSafeInteger(parsed.seq) && Number.isSafeInteger(parsed.offset) ? { seq: parsed.seq as number, offset: parsed.offset as number } : undefined;
  } catch {
    return undefined;
  }
}

export async function saveCursor(dir: string, cursor: Cursor): Promise<void> {
  await writeFile(join(dir, CURSOR_FILE), JSON.stringify(cursor), { mode: 0o600 });
}
