import type { Runtime } from '../../runtime/service.js';
import type { UnknownPolicy } from '../ingest/context.js';
import { ingestContext, publishedIntake } from '../ingest/service-kit.js';
import type { BrokerBodyFormat } from './decode-body.js';
import { BrokerIntake } from './broker-intake.js';

/** The options every `ingest.<broker>` section has (config/sections/broker-source.ts). */
export interface BrokerSourceConfig {
  readonly format: BrokerBodyFormat;
  readonly max_message_bytes: number;
  readonly dedup_ids: number;
  readonly dedup_window_ms: number;
  readonly unknown: UnknownPolicy;
}

/**
 * A broker source's kit, its counters (and the kit's duplicates/retried_busy) in
 * `herald stats` as `ingest.<name>` and the source in `herald status` with `details`.
 */
export function publishedBrokerIntake(
  runtime: Runtime, name: string, details: string, config: BrokerSourceConfig,
): { readonly kit: BrokerIntake; readonly unpublish: () => void } {
  let kit: BrokerIntake | undefined;
  const published = publishedIntake(runtime, name, details, () => kit?.counters() ?? {});
  kit = new BrokerIntake(runtime.bus, published.intake, ingestContext(runtime, name, config.unknown, undefined), {
    format: config.format, maxMessageBytes: config.max_message_bytes, dedupIds: config.dedup_ids, dedupWindowMs: config.dedup_window_ms,
  });
  return { kit, unpublish: published.unpublish };
}
