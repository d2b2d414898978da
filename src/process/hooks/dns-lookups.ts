import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Observes `dns.lookup` and `dns.promises.lookup`. Node 20 has no
 * diagnostics_channel for DNS, so both are wrapped while anyone observes.
 * `net.connect`, `http`, `https` and `fetch` resolve host names through
 * `dns.lookup` looked up at call time, so they are covered too; resolvers
 * (`dns.resolve*`, `Resolver`) query DNS servers directly and are not.
 */
export type LookupEnd = (error: NodeJS.ErrnoException | null) => void;
/** Called when a lookup starts; the returned function is called when it ends. */
export type LookupObserver = (hostname: string) => LookupEnd | undefined;

type LookupFn = (...args: unknown[]) => unknown;

const observers = new Set<LookupObserver>();
let originals: { readonly lookup: LookupFn; readonly promisesLookup: LookupFn } | undefined;

function begin(hostname: unknown): LookupEnd[] {
  const ends: LookupEnd[] = [];
  for (const observer of observers) {
    const end = observer(String(hostname));
    if (end !== undefined) ends.push(end);
  }
  return ends;
}

function finish(ends: readonly LookupEnd[], error: unknown): void {
  const err = error instanceof Error ? (error as NodeJS.ErrnoException) : null;
  for (const end of ends) end(err);
}

function wrappedLookup(this: unknown, ...args: unknown[]): unknown {
  const original = (originals as NonNullable<typeof originals>).lookup;
  const last = args.length - 1;
  const callback = args[last];
  if (observers.size === 0 || typeof callback !== 'function') return original.apply(this, args);
  const ends = begin(args[0]);
  args[last] = function lookupDone(this: unknown, error: unknown, ...rest: unknown[]) {
    finish(ends, error);
    return (callback as LookupFn).call(this, error, ...rest);
  };
  return original.apply(this, args);
}

function wrappedPromisesLookup(this: unknown, ...args: unknown[]): unknown {
  const original = (originals as NonNullable<typeof originals>).promisesLookup;
  if (observers.size === 0) return original.apply(this, args);
  const ends = begin(args[0]);
  return (original.apply(this, args) as Promise<unknown>).then(
    (value) => {
      finish(ends, null);
      return value;
    },
    (error: unknown) => {
      finish(ends, error);
      throw error;
    },
  );
}

function copyOwnSymbols(from: object, to: object): void {
  // dns.lookup carries util.promisify's custom-arguments symbol; keep it so
  // promisify(dns.lookup) still resolves to { address, family }.
  for (const symbol of Object.getOwnPropertySymbols(from)) {
    Object.defineProperty(to, symbol, Object.getOwnPropertyDescriptor(from, symbol) as PropertyDescriptor);
  }
}

function install(): void {
  originals = { lookup: dns.lookup as unknown as LookupFn, promisesLookup: dns.promises.lookup as unknown as LookupFn };
  copyOwnSymbols(originals.lookup, wrappedLookup);
  dns.lookup = wrappedLookup as unknown as typeof dns.lookup;
  dns.promises.lookup = wrappedPromisesLookup as unknown as typeof dns.promises.lookup;
  syncBuiltinESMExports();
}

function uninstall(): void {
  if (originals === undefined) return;
  // A wrapper someone put on top of ours stays, and ours passes straight through
  // while nobody observes; so the originals are kept unless both are restored.
  const lookupIsOurs = dns.lookup === (wrappedLookup as unknown);
  const promisesIsOurs = dns.promises.lookup === (wrappedPromisesLookup as unknown);
  if (!lookupIsOurs || !promisesIsOurs) return;
  dns.lookup = originals.lookup as unknown as typeof dns.lookup;
  dns.promises.lookup = originals.promisesLookup as unknown as typeof dns.promises.lookup;
  originals = undefined;
  syncBuiltinESMExports();
}

/** Calls `observer` for every `dns.lookup` from now on. Returns a disposer. */
export function observeDnsLookups(observer: LookupObserver): () => void {
  if (originals === undefined) install();
  observers.add(observer);
  return () => {
    if (!observers.delete(observer)) return;
    if (observers.size === 0) uninstall();
  };
}
