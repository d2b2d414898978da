import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bus } from '../bus/bus.js';
import { subscriptionKey, type DeliveryMode } from '../bus/subscription.js';
import type { Logger } from '../log/logger.js';

/*
 *  Run-time subscriptions (MI, CLI) survive a restart (issue 12 point 26): they are kept in
 *  <data_dir>/subscriptions.json with their absolute expiry, and restored at start with
 *  what is left of it; lapsed ones are not restored. Config subscriptions are not kept
 *  here: the config restores them.
 */

/** The file in the data dir. */
export const SUBSCRIPTIONS_FILE = 'subscriptions.json';

interface SavedSubscription {
  readonly socket: string;
  readonly event?: string;
  readonly filter?: string;
  readonly mode: DeliveryMode;
  /** Epoch ms, or null for never. */
  readonly expiresAtMs: number | null;
}

export interface PersistOptions {
  readonly bus: Bus;
  readonly dataDir: string;
  readonly logger: Logger;
  /** subscriptionKey()s of the config's subscribers, which are not saved. */
  readonly configKeys: ReadonlySet<string>;
  readonly now?: () => number;
}

async function readSaved(path: string, logger: Logger): Promise<SavedSubscription[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { subscriptions?: unknown };
    return Array.isArray(parsed.subscriptions) ? parsed.subscriptions as SavedSubscription[] : [];
  } catch (error) {
    logger.warn({ path, err: error }, 'The saved subscriptions are not readable JSON; starting without them.');
    return [];
  }
}

/**
 * Restores the saved run-time subscriptions, then keeps the file in step with every
 * change. Returns a function that stops following changes (call it before the bus
 * closes, or shutdown would save an empty list) and waits for the last write.
 */
export async function persistRuntimeSubscriptions(options: PersistOptions): Promise<() => Promise<void>> {
  const { bus, logger } = options;
  const now = options.now ?? Date.now;
  const path = join(options.dataDir, SUBSCRIPTIONS_FILE);
  for (const saved of await readSaved(path, logger)) {
    if (saved.expiresAtMs !== null && saved.expiresAtMs <= now()) continue;
    const expire = saved.expiresAtMs === null ? undefined : Math.max(1, Math.ceil((saved.expiresAtMs - now()) / 1000));
    await bus.subscribe(saved.socket, { event: saved.event, filter: saved.filter, expire, delivery: saved.mode })
      .catch((error: Error) => logger.warn({ socket: saved.socket, err: error }, 'A saved subscription could not be restored; it is dropped.'));
  }
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;
  let stopped = false;
  const save = () => {
    scheduled = false;
    if (stopped) return;
    const subscriptions: SavedSubscription[] = bus.subscribers()
      .filter((info) => !options.configKeys.has(subscriptionKey(info.socket, info.event !== undefined ? { event: info.event } : { filter: info.filter as string })))
      .map((info) => ({
        socket: info.socket, event: info.event, filter: info.filter, mode: info.mode,
        expiresAtMs: info.ttl === 'never' ? null : now() + info.ttl * 1000,
      }));
    const text = `${JSON.stringify({ subscriptions }, null, 2)}\n`;
    writing = writing.then(async () => {
      await writeFile(`${path}.tmp`, text, { mode: 0o600 });
      await rename(`${path}.tmp`, path);
    }).catch((error: unknown) => logger.warn({ path, err: error }, 'Could not save the run-time subscriptions.'));
  };
  const stop = bus.onListenersChanged(() => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(save);
  });
  save();
  return async () => {
    stopped = true;
    stop();
    await writing;
  };
}
