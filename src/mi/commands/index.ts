import type { MiCommand } from '../../runtime/mi/command.js';
import type { EventStreamStats } from '../event-stream.js';
import type { MiCommandRegistry } from '../../runtime/mi/registry.js';
import { coreCommands } from './core.js';
import { eviCommands } from './evi.js';
import { eventsSearchCommands } from './events-search.js';
import { flatstoreCommands, type RotateFiles } from './flatstore.js';
import { statsCommands } from './stats.js';
import { statusCommands } from './status.js';

export interface BuiltinCommandDeps {
  readonly registry: MiCommandRegistry;
  readonly startedAtMs: number;
  readonly rotate: RotateFiles;
  readonly streamStats: () => EventStreamStats;
  /** The daemon's event store, read by events_search. */
  readonly eventStoreUrl: string;
}

/** Every command the management interface ships, one group per file. */
export function builtinCommands(deps: BuiltinCommandDeps): MiCommand[] {
  return [
    ...coreCommands(deps),
    ...eviCommands(),
    ...eventsSearchCommands(deps),
    ...flatstoreCommands(deps),
    ...statusCommands(),
    ...statsCommands(deps),
  ];
}
