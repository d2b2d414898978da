import { join, resolve } from 'node:path';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { ingestContext, publishedIntake } from '../ingest/service-kit.js';
import { OmeFollower } from './follower.js';
import { OffsetStore } from './offset-store.js';

/** Where the follower keeps its position, under the data dir. */
export const OME_OFFSET_FILE = join('ingest', 'ome-offset.json');

async function startIngestOme(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.ome;
  if (!config.enabled) return undefined;
  const dir = resolve(config.dir);
  const published = publishedIntake(runtime, 'ome', `following ${join(dir, 'events.log')}`);
  const follower = new OmeFollower({
    dir,
    base: 'events.log',
    ctx: ingestContext(runtime, 'ovenmediaengine', config.unknown, ['ovenmediaengine']),
    intake: published.intake,
    store: new OffsetStore(join(runtime.dataDir, OME_OFFSET_FILE)),
    maxLineBytes: config.max_line_bytes,
    pollMs: config.poll_ms,
  });
  await follower.start();
  runtime.announce(`ingest ome ${join(dir, 'events.log')} (offset in ${join(runtime.dataDir, OME_OFFSET_FILE)})`);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= follower.close().finally(published.unpublish));
  // A pass in progress reads at most one chunk more: closing is already prompt.
  return { name: 'ingest-ome', close, destroy: close };
}

/** Follows OvenMediaEngine's `events.log` in `ingest.ome.dir` (off by default). */
export const startIngestOmeService = defineService({
  name: 'ingest-ome',
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestOme,
});
