import { UntypedDefs } from '../../events/untyped.js';
import { loadOrCreateToken } from '../../runtime/token.js';
import { registerIngestCounters } from '../../runtime/ingest-counters.js';
import { isLoopbackHost } from '../../runtime/listen.js';
import type { Runtime } from '../../runtime/service.js';
import { SR_STATUS, statusRegistryOf, type StatusRegistry } from '../../runtime/status.js';
import type { IngestContext, UnknownPolicy } from './context.js';
import { Intake } from './intake.js';

/* What every ingest service shares: the token rule, a parser context, an intake shown in status and stats. */

/**
 * The token a listener asks for: the MI's (mi.token / HERALD_TOKEN, else `<data_dir>/mi.token`),
 * always off loopback, on loopback only with `ingest.require_token`.
 */
export async function ingestToken(runtime: Runtime, host: string): Promise<string | undefined> {
  if (!runtime.config.ingest.require_token && isLoopbackHost(host)) return undefined;
  const configured = runtime.config.mi.token;
  if (configured !== undefined && configured !== '') return configured;
  return loadOrCreateToken(runtime.dataDir, runtime.logger);
}

export function ingestContext(runtime: Runtime, source: string, unknown: UnknownPolicy, packs: readonly string[] | undefined): IngestContext {
  return { catalogue: runtime.bus.catalogue, untyped: new UntypedDefs(), unknown, packs, source };
}

/**
 * Whether `herald serve` has finished starting (core/main running): subscribers from
 * config are made after the services, and an event raised before them would reach
 * nobody. Once true it stays true (a closing bus pushes back by itself).
 */
function daemonRunning(status: StatusRegistry): () => boolean {
  let running = false;
  return () => {
    if (running) return true;
    try {
      running = status.get('core', 'main').status === SR_STATUS.CORE_RUNNING;
    } catch {
      running = true; // an embedding application without the daemon's core/main
    }
    return running;
  };
}

/**
 * An intake whose counters (and `moreCounters`, e.g. a UDP socket's kernel drops) show in `herald stats` (get_statistics `ingest.<name>`) and
 * which shows in `herald status` as `ingest`/`<name>` with `details`. Returns it and its disposer.
 */
export function publishedIntake(
  runtime: Runtime, name: string, details: string, moreCounters: () => Record<string, number> = () => ({}),
): { readonly intake: Intake; readonly unpublish: () => void } {
  const status = statusRegistryOf(runtime);
  const intake = new Intake(runtime.bus, daemonRunning(status));
  const unregister = registerIngestCounters(runtime.slots, name, () => ({ ...intake.stats.snapshot(), ...moreCounters() }));
  status.register('ingest', name, SR_STATUS.READY, details);
  return {
    intake,
    unpublish: () => {
      unregister();
      status.unregister('ingest', name);
    },
  };
}

