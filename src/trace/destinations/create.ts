import { confinePath } from '../../runtime/files-roots.js';
import type { Logger } from '../../log/logger.js';
import { TraceIngest, type TraceIngestOptions } from '../ingest.js';
import { createTraceStore } from '../store/open.js';
import type { DestinationSpec } from '../tracer-ids.js';
import type { RateLimitedWarnings } from '../tracer-warnings.js';
import { FileDestination } from './file.js';
import { HepDestination } from './hep.js';
import { SipUdpDestination } from './sip-udp.js';
import { StoreDestination } from './store.js';
import type { TraceDestination } from './types.js';

export interface DestinationContext {
  readonly warnings: RateLimitedWarnings;
  readonly logger?: Logger;
  /** Resolves `sqlite:` without a path. */
  readonly dataDir?: string;
  /** When given, `file:` paths must lie under one of these (the daemon passes files.roots). */
  readonly fileRoots?: readonly string[];
  readonly ingest?: Omit<TraceIngestOptions, 'store' | 'logger'>;
  /** Sent in HEP chunk 0x000e by hep: destinations. */
  readonly hepAuthKey?: string;
  /**
   * Store ingests already running in this process, by `url|table`: a trace id naming
   * the same store shares it instead of opening the database twice.
   */
  readonly sharedStores?: ReadonlyMap<string, TraceIngest>;
}

export function storeKey(url: string, table = 'sip_trace'): string {
  return `${url}|${table}`;
}

/**
 * Builds (does not open) the destination a spec names.
 * @throws HeraldError HERALD_ERR_CONFIG (bad store URL or table), HERALD_ERR_PATH_NOT_ALLOWED (file outside the roots)
 */
export function createDestination(spec: DestinationSpec, ctx: DestinationContext): TraceDestination {
  switch (spec.kind) {
    case 'store': {
      const shared = ctx.sharedStores?.get(storeKey(spec.url, spec.table));
      if (shared !== undefined) return new StoreDestination(shared, { owned: false, uri: spec.url });
      const store = createTraceStore(spec.url, { table: spec.table, dataDir: ctx.dataDir });
      return new StoreDestination(new TraceIngest({ ...ctx.ingest, store, logger: ctx.logger }), { owned: true, uri: spec.url });
    }
    case 'sip':
      return new SipUdpDestination(spec.host, spec.port, ctx.warnings);
    case 'hep':
      return new HepDestination({ host: spec.host, port: spec.port, transport: spec.transport, warnings: ctx.warnings, authKey: ctx.hepAuthKey });
    case 'file': {
      const path = ctx.fileRoots === undefined ? spec.path : confinePath(spec.path, ctx.fileRoots).realPath;
      return new FileDestination(path, ctx.warnings, { logger: ctx.logger });
    }
  }
}
