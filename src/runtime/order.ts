import { HeraldError } from '../errors/herald-error.js';
import type { ServiceStarter } from './service.js';
import type { SlotKey } from './slots.js';

/**
 * The order services start in, derived from what they declare: a service starts
 * after the providers of every slot it needs or uses. Among services free to
 * start, the one listed first goes first, so the listed order only breaks ties.
 * `preset` slots are set by the runtime itself before any service starts.
 * @throws HeraldError HERALD_ERR_SLOT_MISSING when a needed slot has no provider,
 *   HERALD_ERR_SERVICE_CYCLE when services wait on each other.
 */
export function serviceOrder(starters: readonly ServiceStarter[], preset: readonly SlotKey[] = []): ServiceStarter[] {
  const after = starters.map((starter) => dependencies(starter, starters, preset));
  const placed = new Set<number>();
  const order: ServiceStarter[] = [];
  while (order.length < starters.length) {
    const next = starters.findIndex((_, i) => !placed.has(i) && after[i].every((dep) => placed.has(dep)));
    if (next === -1) throw cycleError(starters, after, placed);
    placed.add(next);
    order.push(starters[next]);
  }
  return order;
}

/** Indexes of the services that must start before `starter`. */
function dependencies(starter: ServiceStarter, starters: readonly ServiceStarter[], preset: readonly SlotKey[]): number[] {
  const { name, needs, uses } = starter.declaration;
  const out = new Set<number>();
  for (const [slots, required] of [[needs, true], [uses, false]] as const) {
    for (const slot of slots) {
      const providers = starters.flatMap((other, i) => (other !== starter && other.declaration.provides.includes(slot) ? [i] : []));
      if (required && providers.length === 0 && !preset.includes(slot)) {
        throw new HeraldError('HERALD_ERR_SLOT_MISSING', `Service "${name}" needs slot "${slot}", but no service provides it`);
      }
      for (const i of providers) out.add(i);
    }
  }
  return [...out];
}

/** Names one cycle among the services that could not be placed, e.g. `a → b → a`. */
function cycleError(starters: readonly ServiceStarter[], after: readonly number[][], placed: ReadonlySet<number>): HeraldError {
  let at = starters.findIndex((_, i) => !placed.has(i));
  const path: number[] = [];
  while (!path.includes(at)) {
    path.push(at);
    const blocker = after[at].find((dep) => !placed.has(dep));
    if (blocker === undefined) break;
    at = blocker;
  }
  const loop = [...path.slice(path.indexOf(at)), at].map((i) => starters[i].declaration.name);
  return new HeraldError('HERALD_ERR_SERVICE_CYCLE', `Services wait on each other's slots: ${loop.join(' → ')}`);
}
