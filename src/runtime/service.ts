import type { Bus } from '../bus/bus.js';
import type { HeraldConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';
import type { SlotKey, SlotTable } from './slots.js';

/** What every service started by `herald serve` is given. */
export interface Runtime {
  readonly config: HeraldConfig;
  readonly configPath: string | undefined;
  readonly bus: Bus;
  readonly logger: Logger;
  /** Absolute data directory, created before any service starts. */
  readonly dataDir: string;
  /** Absolute real paths file backends may write under. */
  readonly fileRoots: readonly string[];
  /** Prints one line about something opened (listening address, file, directory). */
  announce(line: string): void;
  /** What services publish for each other (status registry, trace store, …), typed by `Slots`. */
  readonly slots: SlotTable;
}

/**
 * A running part of the daemon. As undici's dispatchers: `close` is graceful,
 * `destroy` is not, and both are idempotent.
 */
export interface Service {
  readonly name: string;
  /** Stops taking work and finishes what was accepted; should settle within `deadlineMs` (the daemon destroys it otherwise). */
  close(deadlineMs: number): Promise<void>;
  /** Stops at once, releasing sockets, timers and handles; what was not finished is given up. */
  destroy(): Promise<void>;
}

/** What a service declares about itself; the daemon derives the start order from it. */
export interface ServiceDeclaration {
  readonly name: string;
  /** Slots this service sets while it runs. */
  readonly provides: readonly SlotKey[];
  /** Slots it cannot start without: some service must provide each, and those start first. */
  readonly needs: readonly SlotKey[];
  /** Slots it reads when present: their providers (if any are listed) start first. */
  readonly uses: readonly SlotKey[];
}

/** Starts one part of the daemon, or resolves undefined when config switches it off. */
export type StartService = (runtime: Runtime) => Promise<Service | undefined>;

/** A service's starter, carrying its declaration. Callable as `start(runtime)`. */
export type ServiceStarter = StartService & { readonly declaration: ServiceDeclaration };

export interface ServiceDefinition {
  readonly name: string;
  readonly provides?: readonly SlotKey[];
  readonly needs?: readonly SlotKey[];
  readonly uses?: readonly SlotKey[];
  start: StartService;
}

/** Declares a service: its name, the slots it provides, needs and uses, and how it starts. */
export function defineService(definition: ServiceDefinition): ServiceStarter {
  const declaration: ServiceDeclaration = {
    name: definition.name,
    provides: definition.provides ?? [],
    needs: definition.needs ?? [],
    uses: definition.uses ?? [],
  };
  const start: StartService = (runtime) => definition.start(runtime);
  return Object.assign(start, { declaration });
}
