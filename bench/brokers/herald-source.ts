import { BackendRegistry } from '../../src/bus/backend-registry.js';
import { registerShippedBackends } from '../../src/backends/index.js';
import { Bus } from '../../src/bus/bus.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';
import { UntypedDefs } from '../../src/events/untyped.js';
import { BrokerIntake } from '../../src/sources/broker/broker-intake.js';
import { Intake } from '../../src/sources/ingest/intake.js';

/** What a broker case's `heraldConsume` runs its source into: a bus with one memory subscriber, and the broker kit. */
export interface HeraldSourceRun {
  readonly bus: Bus;
  readonly kit: BrokerIntake;
  /** Resolves once the kit has accepted `count` events. */
  accepted(count: number): Promise<void>;
}

export async function heraldSourceRun(source: string): Promise<HeraldSourceRun> {
  const bus = new Bus({ catalogue: createDefaultCatalogue(), backends: registerShippedBackends(new BackendRegistry()) });
  await bus.subscribe(`memory:bench-${source}-source`, { event: E_CORE_THRESHOLD.name });
  const intake = new Intake(bus);
  const kit = new BrokerIntake(bus, intake, { catalogue: bus.catalogue, untyped: new UntypedDefs(), unknown: 'accept', source },
    { format: 'auto', maxMessageBytes: 1 << 20, dedupIds: 100_000, dedupWindowMs: 600_000 });
  return {
    bus, kit,
    async accepted(count) {
      while (intake.stats.get('accepted') < count) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  };
}
