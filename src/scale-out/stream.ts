import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { streamSubject, type ScaleOutConfig } from './subjects.js';

/**
 * Makes sure the stream exists: looked up, else created as a work queue on
 * `<prefix>.>` (a message is removed once a writer acknowledged it) with the
 * configured replicas and duplicate window. An existing stream is left as it is.
 * Two daemons creating it at once: the loser finds the winner's.
 */
export async function ensureStream(connection: NatsConnection, config: ScaleOutConfig): Promise<void> {
  const jsm = await jetstreamManager(connection);
  try {
    await jsm.streams.info(config.stream);
    return;
  } catch {
    // missing (or the cluster has no leader yet): try to create it
  }
  try {
    await jsm.streams.add({
      name: config.stream,
      subjects: [streamSubject(config)],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: config.replicas,
      duplicate_window: config.duplicate_window_ms * 1e6,
    });
  } catch (error) {
    // Created by another daemon meanwhile; if it is still not there, the first error says why.
    await jsm.streams.info(config.stream).catch(() => Promise.reject(error));
  }
}
