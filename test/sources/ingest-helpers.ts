import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { UntypedDefs } from '../../src/events/untyped.js';
import type { IngestContext, UnknownPolicy } from '../../src/sources/ingest/context.js';
import type { IngestEvent, ParseOutcome } from '../../src/sources/ingest/outcome.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** The recorded exporter bodies of one folder (`dovecot-json`, `dovecot-tabtext`), by file name. */
export function dovecotBodies(folder: 'dovecot-json' | 'dovecot-tabtext'): Array<{ readonly file: string; readonly body: Buffer }> {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir).filter((file) => file.endsWith('.body')).sort().map((file) => ({ file, body: readFileSync(join(dir, file)) }));
}

export function ingestContext(source: string, packs: readonly string[] | undefined, unknown: UnknownPolicy = 'accept'): IngestContext {
  return { catalogue: createDefaultCatalogue(), untyped: new UntypedDefs(), unknown, packs, source };
}

export function accepted(outcome: ParseOutcome, what = 'input'): IngestEvent {
  if (!outcome.ok) throw new Error(`${what} was refused: ${outcome.rejection.reason}: ${outcome.rejection.message}`);
  return outcome.event;
}
