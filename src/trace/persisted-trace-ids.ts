import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { Tracer } from './tracer.js';

/*
 *  trace_start ids survive a restart (issue 12 point 26): kept in <data_dir>/trace-ids.json
 *  and started again (through the same destination checks) when the trace service starts.
 *  They have no expiry: trace_stop ends them.
 */

export const TRACE_IDS_FILE = 'trace-ids.json';

interface SavedTraceId {
  readonly id: string;
  readonly uri: string;
  readonly filters: readonly string[];
}

/** Starts the saved dynamic trace ids again; one that is refused now is logged and left out. */
export async function restoreTraceIds(tracer: Tracer, dataDir: string, logger: Logger): Promise<void> {
  let saved: SavedTraceId[];
  try {
    saved = (JSON.parse(await readFile(join(dataDir, TRACE_IDS_FILE), 'utf8')) as { ids: SavedTraceId[] }).ids;
  } catch {
    return; // None saved yet (or unreadable: the next save rewrites it).
  }
  for (const { id, uri, filters } of saved) {
    await tracer.start(id, uri, filters).catch((error: Error) => logger.warn({ id, uri, err: error }, 'A saved trace id could not be started again; it is dropped.'));
  }
}

/** Writes the tracer's dynamic ids (atomically, mode 0600). */
export async function saveTraceIds(tracer: Tracer, dataDir: string): Promise<void> {
  const ids: SavedTraceId[] = tracer.status().ids.filter((id) => id.dynamic)
    .map((id) => ({ id: id.id, uri: id.destinations[0]?.uri ?? '', filters: id.filters ?? [] }));
  const path = join(dataDir, TRACE_IDS_FILE);
  await writeFile(`${path}.tmp`, `${JSON.stringify({ ids }, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}
