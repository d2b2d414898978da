import { Type, type Static } from '@sinclair/typebox';
import { DeliverySection, FilesSection, LogSection, SubscriberEntry } from './sections/core.js';
import { FlatstoreOptionsSchema } from '../backends/flatstore/schema.js';
import { JsonlOptionsSchema } from '../backends/jsonl/schema.js';
import { IngestSection } from './sections/ingest.js';
import { MetricsSection } from './sections/metrics.js';
import { MiSection } from './sections/mi.js';
import { CoreEventsSection } from './sections/process.js';
import { RoleSetting, ScaleOutSection } from './sections/scale-out.js';
import { HepSection, SipSection, TraceSection } from './sections/trace.js';

/**
 * herald.yaml. Every object rejects unknown keys; every default lives here, and
 * docs/config.md is generated from this schema.
 */
export const ConfigSchema = Type.Object({
  role: RoleSetting,
  data_dir: Type.String({ default: './herald-data', description: 'Where Herald keeps its files. Created on first start.' }),
  log: LogSection,
  files: FilesSection,
  flatstore: FlatstoreOptionsSchema,
  jsonl: JsonlOptionsSchema,
  delivery: DeliverySection,
  subscribers: Type.Optional(Type.Array(SubscriberEntry, {
    description: 'Subscriptions created at start. Default: `jsonl:<data_dir>/events.log` with filter `level>=info`.',
  })),
  mi: MiSection,
  metrics: MetricsSection,
  hep: HepSection,
  sip: SipSection,
  trace: TraceSection,
  core_events: CoreEventsSection,
  ingest: IngestSection,
  scale_out: ScaleOutSection,
}, { additionalProperties: false });

export type HeraldConfig = Static<typeof ConfigSchema>;
