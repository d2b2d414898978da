import type { IngestContext } from '../ingest/context.js';
import { parseJsonText } from '../ingest/json-text.js';
import { placed, rejected, type ParseOutcome } from '../ingest/outcome.js';
import { recordEvent } from './parse-record.js';

/** One line of an NDJSON body or an events.log file. */
export function parseRecordLine(line: string, ctx: IngestContext): ParseOutcome {
  const parsed = parseJsonText(line);
  return parsed.ok ? recordEvent(parsed.value, ctx) : rejected('malformed', parsed.message);
}

export interface NdjsonLimits {
  /** Longest line taken, in bytes; a longer one is refused as too_large. */
  readonly maxLineBytes: number;
}

/**
 * `POST /ingest` bodies: one record, or NDJSON (a record per line). Blank lines
 * are skipped; each other line is accepted or refused on its own, with its line number.
 */
export function parseNdjson(body: string, ctx: IngestContext, limits: NdjsonLimits): ParseOutcome[] {
  const out: ParseOutcome[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start <= body.length) {
    const end = body.indexOf('\n', start);
    const stop = end < 0 ? body.length : end;
    lineNumber++;
    let line = body.slice(start, stop);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const bytes = Buffer.byteLength(line);
    if (line.trim() !== '') {
      const outcome = bytes > limits.maxLineBytes
        ? rejected('too_large', `Line is ${bytes} bytes, over the ${limits.maxLineBytes}-byte limit`)
        : parseRecordLine(line, ctx);
      out.push(placed(outcome, { line: lineNumber }));
    }
    if (end < 0) break;
    start = end + 1;
  }
  return out;
}
