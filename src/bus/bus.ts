import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { HeraldError, isHeraldError, toError } from '../errors/herald-error.js';
import { Catalogue } from '../events/catalogue.js';
import type { EventDef } from '../events/define.js';
import { createEvent, createObservedEvent, type HeraldEvent, type RaiseOptions } from '../events/event.js';
import { E_HERALD_SPOOL_DROPPED } from '../events/packs/core.js';
import type { ParamsOf, ParamShape, ParamValue } from '../events/params.js';
import { validateParams } from '../events/validate.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { Backend, BackendContext, DestinationCheck } from './backend.js';
import { BackendPool } from './backend-pool.js';
import { BackendRegistry } from './backend-registry.js';
import { destinationsOf } from './destinations.js';
import { parseSocket } from './socket.js';
import { DEFAULT_DELIVERY, DeliveryRunner, type DeliveryOptions } from './delivery-runner.js';
import { DEFAULT_SPOOL, SpoolRunner, type SpoolOptions } from './spool/spool-runner.js';
import { compileFilter } from './filter/index.js';
import { EventCounters, type BusStatistics } from './statistics.js';
import {
  describeSubscription, expiresAtMs, subscriptionKey,
  type DeliveryMode, type SubscriberInfo, type SubscriberRunner, type Subscription, type SubscriptionTarget,
} from './subscription.js';
import type { Observer, ObserverFilter } from './observer.js';
import { NO_TARGETS, SubscriptionIndex, type FilterTargets } from './subscription-index.js';

export interface BusOptions {
  readonly catalogue?: Catalogue;
  readonly backends?: BackendRegistry;
  readonly logger?: Logger;
  readonly delivery?: Partial<DeliveryOptions>;
  /** Origin used when a raise gives no `sourceId`. Default `herald`. */
  readonly defaultSourceId?: string;
  readonly fileRoots?: readonly string[];
  readonly dataDir?: string;
  /** Clock for expiry, epoch ms. Tests inject one. */
  readonly now?: () => number;
  /** Most subscriptions at once; one more is refused with HERALD_ERR_LIMIT. Default: unlimited (serve: delivery.max_subscriptions). */
  readonly maxSubscriptions?: number;
  /** Bounds of at-least-once subscribers' disk spools, under `<dataDir>/spool/`. */
  readonly spool?: Partial<SpoolOptions>;
  /**
   * Runs on every subscribe that is not `trusted`, before anything is created, with the hosts
   * the socket's factory declares; a throw refuses it and is counted (totals.refused).
   * Default: none (serve: delivery.allowed_destinations).
   */
  readonly checkDestinations?: DestinationCheck;
}

export interface SubscribeOptions {
  readonly event?: string;
  readonly filter?: string;
  /** Seconds. Omitted: forever. 0: unsubscribe. */
  readonly expire?: number;
  /** Default `at-most-once`. `at-least-once` spools to disk and survives restarts (docs/backends.md). */
  readonly delivery?: DeliveryMode;
  /** The operator's own subscription (herald.yaml): not put to BusOptions.checkDestinations. */
  readonly trusted?: boolean;
}

export type SubscribeResult =
  | { readonly action: 'subscribed' | 'refreshed'; readonly subscriber: SubscriberInfo }
  | { readonly action: 'unsubscribed'; readonly removed: number };

export type RaiseResult = { readonly ok: true; readonly subscribers: number } | { readonly ok: false; readonly error: HeraldError };

/**
 * The event interface. `raise` is synchronous, never throws and never blocks;
 * with nobody listening it costs one typed-array read. Each subscription has its
 * own bounded queue (DeliveryRunner), so one bad backend cannot hold up another.
 */
export class Bus {
  readonly catalogue: Catalogue;
  readonly backends: BackendRegistry;
  readonly logger: Logger;
  readonly #index = new SubscriptionIndex();
  readonly #counters = new EventCounters();
  readonly #pool: BackendPool;
  readonly #delivery: DeliveryOptions;
  readonly #spool: SpoolOptions;
  readonly #dataDir: string;
  readonly #defaultSourceId: string;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  readonly #onSettled = (batch: readonly HeraldEvent[], outcome: 'delivered' | 'failed') => this.#counters.settled(batch, outcome);
  readonly #maxSubscriptions: number;
  readonly #checkDestinations: DestinationCheck | undefined;
  /** Subscribes past the limit check, still opening their backend. */
  #opening = 0;
  #nextId = 1;
  #closed = false;
  #taps = new Set<(event: HeraldEvent) => void>();
  /** Removed subscriptions still draining: counted in the totals until retired. */
  readonly #leaving = new Set<Subscription>();
  #listenersChanged = new Set<() => void>();

  constructor(options: BusOptions = {}) {
    this.catalogue = options.catalogue ?? new Catalogue();
    this.backends = options.backends ?? new BackendRegistry();
    this.logger = options.logger ?? silentLogger();
    this.#delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
    this.#spool = { ...DEFAULT_SPOOL, ...options.spool };
    this.#dataDir = options.dataDir ?? process.cwd();
    this.#defaultSourceId = options.defaultSourceId ?? 'herald';
    this.#now = options.now ?? Date.now;
    this.#maxSubscriptions = options.maxSubscriptions ?? Number.POSITIVE_INFINITY;
    this.#checkDestinations = options.checkDestinations;
    const ctx: BackendContext = {
      catalogue: this.catalogue,
      logger: this.logger,
      fileRoots: options.fileRoots ?? [],
      dataDir: options.dataDir ?? process.cwd(),
      raise: (def, params, raiseOptions) => this.raise(def, params as never, raiseOptions),
      // virtual: builds its children through the same registry, with this same context.
      createBackend: (socket) => {
        const address = parseSocket(socket);
        return this.backends.get(address.transport).create(address, ctx);
      },
    };
    this.#pool = new BackendPool(this.backends, ctx, this.#abort.signal);
  }

  /** Whether anyone listens to `event`; lets callers skip building costly params. */
  enabled(event: EventDef | string): boolean {
    const def = typeof event === 'string' ? this.catalogue.get(event) : event;
    return def !== undefined && this.#index.hot(def);
  }

  /** Raises a typed event. Synchronous; never throws; drops (and counts) when a queue is full. */
  raise<S extends ParamShape>(def: EventDef<string, S>, params: ParamsOf<S>, options?: RaiseOptions): void {
    if (!this.#index.hot(def)) return;
    try {
      this.#dispatch(def, params as Readonly<Record<string, ParamValue | undefined>>, options);
    } catch (error) {
      // A filter or tap that throws must never reach the caller of raise().
      this.logger.error({ err: toError(error), event: def.name }, 'Raise failed inside the bus.');
    }
  }

  /** Raises by name with untyped params (MI, ingest, CLI), validated against the catalogue. */
  raiseUntyped(name: string, params: unknown, options?: RaiseOptions & { readonly fromText?: boolean }): RaiseResult {
    const def = this.catalogue.get(name);
    if (def === undefined) {
      return { ok: false, error: new HeraldError('HERALD_ERR_UNKNOWN_EVENT', `Unknown event "${name}"`) };
    }
    const checked = validateParams(def, params, options?.fromText ?? false);
    if (!checked.ok) {
      return { ok: false, error: new HeraldError('HERALD_ERR_INVALID_PARAMS', checked.problems.map((p) => p.message).join('; ')) };
    }
    if (!this.#index.hot(def)) {
      this.#counters.raised(def.name);
      return { ok: true, subscribers: 0 };
    }
    return { ok: true, subscribers: this.#dispatch(def, checked.params, options) };
  }

  /**
   * Subscribes `socket` to an event or a filter. Subscribing the same socket and
   * target again refreshes it (time resets, new expiry replaces the old); `expire: 0`
   * unsubscribes. Rejects with HeraldError when the socket or target is bad,
   * HERALD_ERR_NOT_ALLOWED when checkDestinations refuses it (unless `trusted`), or
   * HERALD_ERR_LIMIT when maxSubscriptions are live.
   */
  async subscribe(socket: string, options: SubscribeOptions): Promise<SubscribeResult> {
    if (this.#closed) throw new HeraldError('HERALD_ERR_BUS_CLOSED', 'The bus is closed');
    const target = this.#target(options);
    const expire = normaliseExpire(options.expire);
    if (expire === 0) return { action: 'unsubscribed', removed: await this.unsubscribe(socket, target) };
    if (options.trusted !== true) this.#confine(socket.trim());
    const key = subscriptionKey(socket.trim(), target);
    const existing = this.#index.get(key);
    if (existing !== undefined) {
      existing.subscribedAtMs = this.#now();
      existing.expireSeconds = expire;
      this.#index.touch();
      return { action: 'refreshed', subscriber: describeSubscription(existing, this.#now()) };
    }
    const { matches, verdict } = this.#matcher(target);
    if (this.#index.all().length + this.#opening >= this.#maxSubscriptions) {
      throw new HeraldError('HERALD_ERR_LIMIT',
        `Too many subscriptions: the limit is ${this.#maxSubscriptions} (delivery.max_subscriptions in herald.yaml); unsubscribe some first`);
    }
    this.#opening++;
    let backend;
    try {
      backend = await this.#pool.acquire(socket.trim());
    } finally {
      this.#opening--;
    }
    const mode = options.delivery ?? 'at-most-once';
    let runner: SubscriberRunner;
    try {
      runner = mode === 'at-least-once' ? this.#spoolRunner(key, backend) : new DeliveryRunner(backend, this.#delivery, this.#onSettled);
    } catch (error) {
      await this.#pool.release(socket.trim());
      throw new HeraldError('HERALD_ERR_SUBSCRIBE', `Cannot open the spool of ${socket.trim()}: ${toError(error).message}`, { cause: error });
    }
    const sub: Subscription = {
      id: this.#nextId++, socket: socket.trim(), target, key, matches, verdict, matched: 0, runner, mode,
      subscribedAtMs: this.#now(), expireSeconds: expire,
    };
    this.#index.add(sub, this.catalogue.get(target.event ?? '')?.id);
    this.#notifyListenersChanged();
    return { action: 'subscribed', subscriber: describeSubscription(sub, this.#now()) };
  }

  /** Removes subscriptions of a socket: one target, or all of them. Returns how many. */
  async unsubscribe(socket: string, target?: Partial<SubscriptionTarget>): Promise<number> {
    const victims = this.#index.all().filter((sub) => sub.socket === socket.trim()
      && (target?.event === undefined || sub.target.event === target.event)
      && (target?.filter === undefined || sub.target.filter === target.filter));
    await Promise.all(victims.map((sub) => this.#remove(sub, false)));
    return victims.length;
  }

  /** Lists live subscribers (purging expired ones first), with expiry and remaining TTL. */
  subscribers(query: { readonly event?: string; readonly socket?: string } = {}): SubscriberInfo[] {
    this.#purgeExpired();
    const now = this.#now();
    return this.#index.all()
      .filter((sub) => (query.socket === undefined || sub.socket === query.socket)
        && (query.event === undefined || sub.target.event === query.event))
      .map((sub) => describeSubscription(sub, now));
  }

  /**
   * How full the fullest subscriber queue is (0 with no subscribers, 1 when a queue is
   * full or the bus is closed). Sources that can push back (HTTP 429, a paused TCP
   * socket) ask before raising, so back-pressure reaches the sender instead of becoming
   * drops; raise() itself never waits.
   */
  saturation(): number {
    return this.#closed ? 1 : this.#index.fullestQueue();
  }

  /**
   * Resolves once every event raised so far is in the disk spool of each
   * at-least-once subscriber it was offered to (or was refused there, counted).
   * A broker source acknowledges its messages after this, so an acked message
   * survives a SIGKILL. At-most-once subscribers are not waited for.
   */
  async persisted(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const sub of this.#index.all()) if (sub.runner.appended !== undefined) waits.push(sub.runner.appended());
    for (const sub of this.#leaving) if (sub.runner.appended !== undefined) waits.push(sub.runner.appended());
    await Promise.all(waits);
  }

  /** Receives every raised event synchronously, after subscribers (SSE, tracing views). */
  tap(listener: (event: HeraldEvent) => void): () => void {
    this.#taps.add(listener);
    this.#index.setTapped(this.#taps.size > 0);
    this.#notifyListenersChanged();
    return () => {
      this.#taps.delete(listener);
      this.#index.setTapped(this.#taps.size > 0);
      this.#notifyListenersChanged();
    };
  }

  /**
   * Calls `onEvent` synchronously, inside raise(), for every raise `filter` matches
   * (metrics use it). `filter` is filter text, or anything that judges event
   * definitions and events the way a compiled filter does. Shares the
   * per-definition filter plans of subscriptions, so a raise no observer can match
   * costs nothing extra. `onEvent` must not throw or block; raise() still catches
   * it. When only observers take a raise, the event's `timeUs` and `id` are made
   * when first read: read them inside `onEvent` for the raise's own. Returns the
   * function that stops it.
   * @throws HeraldError HERALD_ERR_FILTER_SYNTAX when filter text does not parse.
   */
  observe(filter: string | ObserverFilter, onEvent: (event: HeraldEvent) => void): () => void {
    let compiled: ObserverFilter;
    try {
      compiled = typeof filter === 'string' ? compileFilter(filter) : filter;
    } catch (error) {
      throw new HeraldError('HERALD_ERR_FILTER_SYNTAX', `Bad filter: ${toError(error).message}`, { cause: error });
    }
    const observer: Observer = { matches: compiled.match, verdict: compiled.verdict, onEvent };
    this.#index.addObserver(observer);
    this.#notifyListenersChanged();
    return () => {
      if (this.#index.removeObserver(observer)) this.#notifyListenersChanged();
    };
  }

  /**
   * Calls `listener` whenever the set of subscriptions or taps changes, so a
   * source can attach its hooks only while `enabled()` says someone listens
   * (instrument() does). Returns a function that stops the calls.
   */
  onListenersChanged(listener: () => void): () => void {
    this.#listenersChanged.add(listener);
    return () => {
      this.#listenersChanged.delete(listener);
    };
  }

  statistics(): BusStatistics {
    return this.#counters.snapshot(this.subscribers(), [...this.#leaving].map((sub) => sub.runner.counters));
  }

  /** Waits until every queue is empty (or the signal aborts). */
  async drain(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.#index.all().map((sub) => sub.runner.idle(signal)));
    await this.#pool.flushAll();
  }

  /** Drains within the deadline, then closes every backend. Idempotent. */
  async close(options: { readonly deadlineMs?: number } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.drain(AbortSignal.timeout(options.deadlineMs ?? 5000));
    let discarded = 0;
    for (const sub of this.#index.all()) {
      const left = sub.runner.discard();
      discarded += left;
      this.#counters.retire(sub.runner.counters, left, 'shutdown');
    }
    // One line for the whole shutdown, not one per subscriber or event.
    if (discarded > 0) this.logger.warn({ discarded, deadlineMs: options.deadlineMs ?? 5000 }, 'Queued events were discarded at the shutdown deadline.');
    this.#index.clear();
    this.#notifyListenersChanged();
    this.#abort.abort();
    await this.#pool.closeAll();
  }

  #dispatch(def: EventDef, params: Readonly<Record<string, ParamValue | undefined>>, options: RaiseOptions | undefined): number {
    const nextExpiryMs = this.#index.nextExpiryMs;
    // Reading the clock only when something can expire keeps it off the common path.
    if (nextExpiryMs !== Number.POSITIVE_INFINITY && nextExpiryMs <= this.#now()) this.#purgeExpired();
    const bySubscription = this.#index.eventSubscribers(def.id);
    const plan = this.#index.filterPlan(def);
    const filters = options?.level !== undefined && options.level !== def.level ? plan.anyLevel : plan.atOwnLevel;
    // Filters that cannot match this raise are known before the event is built.
    if (bySubscription.length === 0 && filters === NO_TARGETS && this.#taps.size === 0) return 0;
    this.#counters.raised(def.name);
    if (bySubscription.length === 0 && filters.always.length === 0 && filters.depends.length === 0 && this.#taps.size === 0) {
      // Only observers (metrics) take it: they read params, so the clock and the id wait until somebody reads them.
      this.#show(filters, createObservedEvent(def, params, options, this.#defaultSourceId));
      return 0;
    }
    const event = createEvent(def, params, options, this.#defaultSourceId);
    // Plain loops over the index's copy-on-write arrays: a generator here cost ~10% of a delivered raise.
    const delivered = this.#offer(bySubscription, event, false) + this.#offer(filters.always, event, false) + this.#offer(filters.depends, event, true);
    if (filters.observeAlways.length > 0 || filters.observeDepends.length > 0) this.#show(filters, event);
    if (this.#taps.size > 0) for (const tap of this.#taps) tap(event);
    return delivered;
  }

  #notifyListenersChanged(): void {
    for (const listener of this.#listenersChanged) {
      try {
        listener();
      } catch (error) {
        this.logger.error({ err: toError(error) }, 'A listeners-changed callback threw.');
      }
    }
  }

  #show(filters: FilterTargets, event: HeraldEvent): void {
    const always = filters.observeAlways;
    for (let i = 0; i < always.length; i++) always[i].onEvent(event);
    const depends = filters.observeDepends;
    for (let i = 0; i < depends.length; i++) if (depends[i].matches(event)) depends[i].onEvent(event);
  }

  #offer(subs: readonly Subscription[], event: HeraldEvent, test: boolean): number {
    let delivered = 0;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i];
      if (test && !sub.matches(event)) continue;
      sub.matched++;
      if (sub.runner.enqueue(event)) delivered++;
      else this.#counters.dropped(event.name);
    }
    return delivered;
  }

  #purgeExpired(): void {
    const now = this.#now();
    for (const sub of this.#index.all()) {
      if (expiresAtMs(sub) <= now) void this.#remove(sub, true);
    }
  }

  async #remove(sub: Subscription, expired: boolean): Promise<void> {
    if (!this.#index.remove(sub)) return;
    this.#notifyListenersChanged();
    this.logger.debug({ socket: sub.socket, expired }, 'Subscriber removed.');
    this.#leaving.add(sub);
    await sub.runner.idle(AbortSignal.timeout(this.#delivery.writeTimeoutMs));
    const discarded = sub.runner.discard();
    // Unsubscribed or expired, not shut down: nobody will ask for what is still spooled.
    sub.runner.forget?.();
    const reason = expired ? 'expiry' : 'unsubscribe';
    this.#counters.retire(sub.runner.counters, discarded, reason);
    this.#leaving.delete(sub);
    if (discarded > 0) this.logger.warn({ socket: sub.socket, reason, discarded }, 'Queued events were discarded when the subscriber was removed.');
    await this.#pool.release(sub.socket);
  }

  /** Confinement before existence: the destinations are checked before a backend or spool is made. */
  #confine(socket: string): void {
    if (this.#checkDestinations === undefined) return;
    try {
      this.#checkDestinations(socket, destinationsOf(this.backends, socket));
    } catch (error) {
      // A bad socket is the caller's typo; a refusal is what the count is for.
      if (isHeraldError(error) && error.code === 'HERALD_ERR_NOT_ALLOWED') this.#counters.refusedSubscription();
      throw error;
    }
  }

  /** One spool directory per subscription (socket and target), so a restart finds its own events again. */
  #spoolRunner(key: string, backend: Backend): SpoolRunner {
    const name = createHash('sha256').update(key).digest('hex').slice(0, 24);
    return new SpoolRunner({
      dir: join(this.#dataDir, 'spool', name), backend, delivery: this.#delivery, spool: this.#spool,
      catalogue: this.catalogue, logger: this.logger, onSettled: this.#onSettled,
      onDropped: (dropped, reason, spoolBytes) => {
        // A subscriber of this very event with a full spool would feed itself: raise on the next turn, once per round.
        setImmediate(() => this.raise(E_HERALD_SPOOL_DROPPED, { socket: key.split('\u0000')[0], dropped, reason, spool_bytes: spoolBytes }));
      },
    });
  }

  #target(options: SubscribeOptions): SubscriptionTarget {
    if ((options.event === undefined) === (options.filter === undefined)) {
      throw new HeraldError('HERALD_ERR_SUBSCRIBE', 'Give exactly one of "event" or "filter"');
    }
    if (options.event !== undefined) {
      if (!this.catalogue.has(options.event)) throw new HeraldError('HERALD_ERR_UNKNOWN_EVENT', `Unknown event "${options.event}"`);
      return { event: options.event };
    }
    return { filter: options.filter as string };
  }

  #matcher(target: SubscriptionTarget): Pick<Subscription, 'matches' | 'verdict'> {
    if (target.event !== undefined) return { matches: () => true };
    try {
      const compiled = compileFilter(target.filter);
      // The compiled functions are closures over the filter, not methods: passed as they are, with no wrapper call per raise.
      return { matches: compiled.match, verdict: compiled.verdict };
    } catch (error) {
      throw new HeraldError('HERALD_ERR_SUBSCRIBE', `Bad filter: ${toError(error).message}`, { cause: error });
    }
  }
}

function normaliseExpire(expire: number | undefined): number | null {
  if (expire === undefined || expire === null) return null;
  if (!Number.isInteger(expire) || expire < 0) {
    throw new HeraldError('HERALD_ERR_SUBSCRIBE', `"expire" must be a non-negative integer of seconds, got ${String(expire)}`);
  }
  return expire;
}
