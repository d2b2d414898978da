import type { Bus } from '../../bus/bus.js';
import type { StatusRegistry } from '../../runtime/status/registry.js';
import { parseAutoScaleProfile, type AutoScaleProfile } from '../../process/autoscale/profile.js';
import { packSipBatch, parseSipBatch, unpackSipBatch, type SipBatchResult, type SipSummary } from './sip-batch.js';
import { WorkerPool } from '../../process/autoscale/worker-pool.js';
import { siblingModule } from '../../runtime/thread-module.js';

/** The `group_type` of the SIP parse pool in E_CORE_PROC_AUTO_SCALE and the `auto-scaling` status group. */
export const SIP_PARSE_GROUP = 'sip_parse';

// From source (tsx) the task module is .ts; from dist it is .js.
const TASK_MODULE = siblingModule(import.meta.url, 'sip-parse-task');

export interface SipParsePoolOptions {
  /** OpenSIPS profile text or a parsed profile; without one the pool keeps `workers` threads. */
  readonly profile?: string | AutoScaleProfile;
  readonly cycleMs?: number;
  readonly workers?: number;
  readonly bus?: Pick<Bus, 'raise'>;
  readonly status?: StatusRegistry;
}

/**
 * Parses SIP messages on worker threads, a batch per task, for the ingest path
 * (HEP and raw-SIP collectors): the main thread only packs bytes and unpacks
 * the summaries, so it keeps receiving while the threads parse.
 */
export class SipParsePool {
  readonly pool: WorkerPool;

  constructor(options: SipParsePoolOptions = {}) {
    const profile = typeof options.profile === 'string' ? parseAutoScaleProfile(options.profile) : options.profile;
    this.pool = new WorkerPool({
      taskModule: TASK_MODULE,
      name: SIP_PARSE_GROUP,
      workers: options.workers,
      scaling: profile === undefined ? undefined : { profile, cycleMs: options.cycleMs ?? 1000 },
      bus: options.bus,
      status: options.status,
    });
  }

  /** Parses messages (one batch, one task); results are in input order. */
  async parse(messages: readonly Uint8Array[]): Promise<SipSummary[]> {
    if (messages.length === 0) return [];
    const batch = packSipBatch(messages);
    const result = await this.pool.run<SipBatchResult>(batch, [batch.buffer]);
    return unpackSipBatch(result);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The same parse on the calling thread: the pool's baseline, and the fallback without a pool. */
export function parseSipSummaries(messages: readonly Uint8Array[]): SipSummary[] {
  return unpackSipBatch(parseSipBatch(packSipBatch(messages)));
}
