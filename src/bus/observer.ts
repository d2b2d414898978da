import type { HeraldEvent } from '../events/event.js';
import type { CompiledFilter, StaticEventView, Verdict } from './filter/index.js';

/** What Bus.observe takes besides filter text: a compiled filter, or anything that judges the same way. */
export type ObserverFilter = Pick<CompiledFilter, 'match' | 'verdict'>;

/**
 * A synchronous reader of the raises a filter matches (metrics use it): no queue,
 * no backend, called inside raise() after the subscribers. It shares the filter
 * plans of subscriptions, so a raise no observer can match costs nothing extra.
 */
export interface Observer {
  readonly matches: (event: HeraldEvent) => boolean;
  readonly verdict: (view: StaticEventView) => Verdict;
  readonly onEvent: (event: HeraldEvent) => void;
}
