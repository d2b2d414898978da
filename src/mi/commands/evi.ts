import type { DeliveryMode, SubscriberInfo } from '../../bus/subscription.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { JsonValue } from '../../events/json.js';
import { LEVEL_NAMES, parseLevel } from '../../events/level.js';
import { defineCommand, type MiCommand, type MiCallContext } from '../../runtime/mi/command.js';
import { MiParamsError } from '../../runtime/mi/params.js';
import { deliveryFields } from './delivery-fields.js';

/** Longest `source_id` raise_event takes: a name, not a payload. */
const MAX_SOURCE_ID_CHARS = 256;

/** OpenSIPS's default expiry for an MI subscription, in seconds. */
export const DEFAULT_EXPIRE_SECONDS = 3600;

function listed(info: SubscriberInfo) {
  return { socket: info.socket, expire: info.expire, ttl: info.ttl, ...deliveryFields(info) };
}

function target(info: SubscriberInfo) {
  return info.event !== undefined ? { event: info.event } : { filter: info.filter };
}

function eventEntry(ctx: MiCallContext, name: string, subscribers: readonly SubscriberInfo[]) {
  return { name, id: ctx.bus.catalogue.get(name)?.id ?? -1, Subscribers: subscribers.map(listed) };
}

/** The OpenSIPS shapes: every event with subscribers, one event, or one socket's subscriptions. */
function listSubscribers(ctx: MiCallContext, event: string | undefined, socket: string | undefined): unknown {
  if (event !== undefined && !ctx.bus.catalogue.has(event)) throw new HeraldError('HERALD_ERR_UNKNOWN_EVENT', `Event not published: ${event}`);
  const subscribers = ctx.bus.subscribers({ event, socket });
  if (socket !== undefined) {
    if (subscribers.length === 0) throw new HeraldError('HERALD_ERR_NOT_FOUND', `Subscriber does not exist: ${socket}${event !== undefined ? ` for ${event}` : ''}`);
    if (event !== undefined) return { Subscriber: listed(subscribers[0]) };
    return { Subscribers: subscribers.map((info) => ({ ...listed(info), ...target(info) })) };
  }
  if (event !== undefined) return { Event: eventEntry(ctx, event, subscribers) };
  const byEvent = new Map<string, SubscriberInfo[]>();
  for (const info of subscribers) {
    if (info.event !== undefined) byEvent.set(info.event, [...(byEvent.get(info.event) ?? []), info]);
  }
  return {
    Events: [...byEvent.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => eventEntry(ctx, name, list)),
    Filters: subscribers.filter((info) => info.filter !== undefined).map((info) => ({ ...listed(info), filter: info.filter })),
  };
}

function exactlyOneTarget(event: string | undefined, filter: string | undefined): void {
  if ((event === undefined) !== (filter === undefined)) return;
  throw new MiParamsError([{
    param: 'event',
    expected: 'exactly one of "event" or "filter"',
    received: event === undefined ? 'neither' : 'both',
  }]);
}

const eventsList = defineCommand({
  name: 'events_list',
  aliases: ['evi:list'],
  description: 'Lists every event in the catalogue.',
  params: [],
  example: { result: { Events: [{ name: 'E_CORE_THRESHOLD', id: 0, pack: 'core', category: 'core', level: 'warning' }] } },
  handler: (_params, ctx) => ({
    Events: ctx.bus.catalogue.list().map((def) => ({ name: def.name, id: def.id, pack: def.pack, category: def.category, level: def.level })),
  }),
});

const subscribersList = defineCommand({
  name: 'subscribers_list',
  aliases: ['evi:subscribers'],
  description: 'Lists subscribers with `expire` and the remaining `ttl` in seconds (or "never"), and (Herald extension) their delivery: `mode`, `delivered`, `retries`, `failed`, `dropped` and, for at-least-once, `spool_bytes` and `spool_oldest_age_ms`. With `event`: that event only; with `socket`: that socket only.',
  params: [
    { name: 'event', type: 'string', description: 'Only subscribers of this event.' },
    { name: 'socket', type: 'string', description: 'Only this subscriber socket.' },
  ],
  example: {
    result: {
      Events: [{
        name: 'E_CORE_LOG', id: 6,
        Subscribers: [{ socket: 'flatstore:/var/log/herald/log.csv', expire: 3600, ttl: 3598, mode: 'at-most-once', delivered: 120, retries: 0, failed: 0, dropped: 0 }],
      }],
      Filters: [{
        socket: 'http://127.0.0.1:8080/hook', expire: 'never', ttl: 'never', mode: 'at-least-once', delivered: 5400, retries: 3, failed: 0, dropped: 0,
        spool_bytes: 18234, spool_oldest_age_ms: 420, filter: 'level>=info',
      }],
    },
  },
  handler: ({ event, socket }, ctx) => listSubscribers(ctx, event, socket),
});

/** The `delivery` param, checked: anything else is refused by name. */
function deliveryMode(value: string | undefined): DeliveryMode | undefined {
  if (value === undefined || value === 'at-most-once' || value === 'at-least-once') return value;
  throw new HeraldError('HERALD_ERR_SUBSCRIBE', `"delivery" must be at-most-once or at-least-once, got "${value}"`);
}

const eventSubscribe = defineCommand({
  name: 'event_subscribe',
  aliases: ['evi:subscribe'],
  description: 'Subscribes a socket to an event or a filter. Subscribing again refreshes it; `expire` 0 unsubscribes. Files must be under files.roots. Kept across restarts (<data_dir>/subscriptions.json) with its absolute expiry.',
  params: [
    { name: 'event', type: 'string', description: 'Event name; give this or `filter`.' },
    { name: 'socket', type: 'string', required: true, description: 'transport:address[?option=value&…], e.g. flatstore:/var/log/herald/ev.csv' },
    { name: 'expire', type: 'int', minimum: 0, description: `Seconds until the subscription lapses. Default ${DEFAULT_EXPIRE_SECONDS}; 0 unsubscribes.` },
    { name: 'filter', type: 'string', description: 'Filter expression (docs/filters.md); give this or `event`.' },
    { name: 'delivery', type: 'string', description: '`at-most-once` (default) or `at-least-once` (a disk spool that survives restarts). Herald extension.' },
  ],
  example: {
    params: { event: 'E_CORE_LOG', socket: 'flatstore:/var/log/herald/log.csv', expire: 60 },
    result: { action: 'subscribed', socket: 'flatstore:/var/log/herald/log.csv', event: 'E_CORE_LOG', expire: 60, ttl: 60 },
  },
  handler: async ({ event, socket, expire, filter, delivery }, ctx) => {
    exactlyOneTarget(event, filter);
    const result = await ctx.bus.subscribe(socket, { event, filter, expire: expire ?? DEFAULT_EXPIRE_SECONDS, delivery: deliveryMode(delivery) });
    if (result.action === 'unsubscribed') return { action: result.action, socket, removed: result.removed };
    const { socket: subscribed, expire: lapse, ttl } = result.subscriber;
    return { action: result.action, socket: subscribed, ...target(result.subscriber), expire: lapse, ttl };
  },
});

const eventUnsubscribe = defineCommand({
  name: 'event_unsubscribe',
  aliases: ['evi:unsubscribe'],
  description: 'Removes a socket\'s subscriptions: all of them, or only those to `event` or `filter`. Herald extension.',
  params: [
    { name: 'socket', type: 'string', required: true, description: 'The subscriber socket.' },
    { name: 'event', type: 'string', description: 'Only the subscription to this event.' },
    { name: 'filter', type: 'string', description: 'Only the subscription with this filter.' },
  ],
  example: { params: { socket: 'flatstore:/var/log/herald/log.csv' }, result: { socket: 'flatstore:/var/log/herald/log.csv', removed: 1 } },
  handler: async ({ socket, event, filter }, ctx) => {
    const only = event !== undefined ? { event } : filter !== undefined ? { filter } : undefined;
    return { socket, removed: await ctx.bus.unsubscribe(socket, only) };
  },
});

const raiseEvent = defineCommand({
  name: 'raise_event',
  aliases: ['evi:raise'],
  description: 'Raises an event with `params` validated against the catalogue; returns how many subscribers received it. '
    + '`source_id`, `level`, `cause` and `snapshot` set the record\'s fields of those names (OvenMediaEngine\'s event log), as an ingested record can.',
  params: [
    { name: 'event', type: 'string', required: true, description: 'Event name.' },
    { name: 'params', type: 'object', description: 'The event\'s params by name (an object, or a string holding a JSON object).' },
    { name: 'from_text', type: 'bool', description: 'Param values are text to parse by their catalogue type (what `herald raise` sends).' },
    { name: 'source_id', type: 'string', description: `Who raised it (the record's sourceId; default \`herald\`), 1 to ${MAX_SOURCE_ID_CHARS} characters.` },
    { name: 'level', type: 'string', enum: LEVEL_NAMES, description: 'Level instead of the catalogue\'s: any level name or alias (docs/filters.md "Levels").' },
    { name: 'cause', type: 'string', description: 'Why it happened (the record\'s cause).' },
    { name: 'snapshot', type: 'object', description: 'State at the time (the record\'s snapshot): an object, or a string holding one.' },
  ],
  example: {
    params: { event: 'E_CORE_THRESHOLD', params: { source: 'dns', time: 250000, extra: 'example.org' } },
    result: { event: 'E_CORE_THRESHOLD', subscribers: 1 },
  },
  handler: ({ event, params, from_text, source_id: sourceId, level, cause, snapshot }, ctx) => {
    if (sourceId !== undefined && (sourceId.trim() === '' || sourceId.length > MAX_SOURCE_ID_CHARS)) {
      throw new MiParamsError([{ param: 'source_id', expected: `1 to ${MAX_SOURCE_ID_CHARS} characters, not blank`, received: `${sourceId.length} characters` }]);
    }
    const outcome = ctx.bus.raiseUntyped(event, params ?? {}, {
      fromText: from_text ?? false, sourceId, level: parseLevel(level), cause, snapshot: snapshot as JsonValue | undefined,
    });
    if (!outcome.ok) throw outcome.error;
    return { event, subscribers: outcome.subscribers };
  },
});

/** The event interface: list, subscribe, unsubscribe, raise. */
export function eviCommands(): MiCommand[] {
  return [eventsList, subscribersList, eventSubscribe, eventUnsubscribe, raiseEvent];
}
