import type { Bus } from '../bus/bus.js';
import type { HeraldConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';

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
  /** Shared objects services publish for each other (status registry, trace store, …). */
  readonly shared: Map<string, unknown>;
}

/** A running part of the daemon. `stop` is graceful and idempotent. */
export interface Service {
  readonly name: string;
  stop(): Promise<void>;
}

/** Starts one part of the daemon, or returns undefined when config switches it off. */
export type ServiceStarter = (runtime: Runtime) => Promise<Service | undefined>;
