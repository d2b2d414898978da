import { HeraldError } from '../../errors/herald-error.js';
import { describeCommand, type MiCommand, type MiCommandDescription } from './command.js';
import type { SlotTable } from '../slots.js';
import { nearest } from './suggest.js';

/** The slot holding the MI command registry. */
export const MI_COMMANDS_SLOT = 'mi.commands';

declare module '../slots.js' {
  interface Slots {
    [MI_COMMANDS_SLOT]: MiCommandRegistry;
  }
}

/**
 * The commands the management interface answers, by name and alias. Services add
 * their own (tracing adds `sip_trace`, …) at any time; the next call sees them.
 */
export class MiCommandRegistry {
  readonly #commands: MiCommand[] = [];
  readonly #byName = new Map<string, MiCommand>();

  /**
   * Adds a command and returns a disposer that removes it.
   * @throws HeraldError HERALD_ERR_DUPLICATE_COMMAND when a name or alias is taken.
   */
  register(command: MiCommand): () => void {
    const names = [command.name, ...command.aliases];
    const taken = names.find((name) => this.#byName.has(name));
    if (taken !== undefined) throw new HeraldError('HERALD_ERR_DUPLICATE_COMMAND', `MI command "${taken}" is already registered`);
    for (const name of names) this.#byName.set(name, command);
    this.#commands.push(command);
    return () => this.#unregister(command);
  }

  registerAll(commands: Iterable<MiCommand>): this {
    for (const command of commands) this.register(command);
    return this;
  }

  /** Looks a command up by its name or any alias. */
  get(name: string): MiCommand | undefined {
    return this.#byName.get(name);
  }

  /** Commands in name order. */
  list(): MiCommand[] {
    return [...this.#commands].sort((a, b) => a.name.localeCompare(b.name));
  }

  describe(): MiCommandDescription[] {
    return this.list().map(describeCommand);
  }

  /** Up to three names or aliases nearest to a mistyped one. */
  suggest(name: string): string[] {
    return nearest(name, this.#byName.keys(), 3);
  }

  #unregister(command: MiCommand): void {
    const index = this.#commands.indexOf(command);
    if (index === -1) return;
    this.#commands.splice(index, 1);
    for (const name of [command.name, ...command.aliases]) this.#byName.delete(name);
  }
}

/**
 * The registry in the slots, created on first use, so a service can add commands
 * whether it starts before or after the management interface (or with it disabled).
 */
export function miCommandRegistry(slots: SlotTable): MiCommandRegistry {
  const existing = slots.get(MI_COMMANDS_SLOT);
  if (existing !== undefined) return existing;
  const created = new MiCommandRegistry();
  slots.set(MI_COMMANDS_SLOT, created);
  return created;
}
