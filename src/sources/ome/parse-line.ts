import type { IngestContext } from '../ingest/context.js';
import type { ParseOutcome } from '../ingest/outcome.js';
import { parseRecordLine } from '../http/parse-ndjson.js';

/**
 * One line of OvenMediaEngine's events.log (Enterprise event specification):
 * {"time","level","category","type","sourceId","summary",["cause"],["snapshot"]}.
 * Typed by the ovenmediaengine pack (the context's packs); snapshot and cause are kept
 * as they are, and so is the summary text.
 */
export function parseOmeLine(line: string, ctx: IngestContext): ParseOutcome {
  return parseRecordLine(line, ctx);
}
