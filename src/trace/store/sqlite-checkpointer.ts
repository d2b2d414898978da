import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite WAL checkpoints on a second thread.
 *
 * With synchronous=NORMAL a WAL commit does not fsync; the cost moves to the
 * checkpoint, which copies WAL pages into the database and fsyncs it. Left to
 * the writer (wal_autocheckpoint), that work blocks the thread that also
 * receives and parses packets. Here a worker with its own connection runs
 * PASSIVE checkpoints (they never block the writer) every few milliseconds;
 * the writer keeps a larger autocheckpoint only as a backstop that bounds the
 * WAL. docs/trace.md ("Why one thread") has the measurements.
 *
 * The worker body is plain JavaScript evaluated in the worker, so it runs the
 * same from TypeScript sources (tests, tsx) and from the compiled package; it
 * loads better-sqlite3 by the path the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path, { timeout: 5000 });
let stopping = false;
parentPort.on('message', (message) => { if (message === 'stop') stopping = true; });
function tick() {
  if (stopping) { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error && error.message)); }
  setTimeout(tick, workerData.intervalMs);
}
tick();
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts the checkpoint worker for a database file, or returns undefined if a worker cannot start. */
export function startCheckpointer(path: string, intervalMs: number, onError: (message: string) => void): Checkpointer | undefined {
  let worker: Worker;
  try {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, path, intervalMs } });
  } catch {
    return undefined;
  }
  worker.unref();
  worker.on('message', (message: unknown) => onError(String(message)));
  worker.on('error', (error) => onError(error.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      if (stopping === undefined) {
        worker.ref(); // keep the process alive until the worker has closed its connection
        worker.postMessage('stop');
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, 2000); });
        stopping = Promise.race([exited, deadline]).then(() => {
          clearTimeout(timer);
          return worker.terminate();
        }).then(() => undefined);
      }
      return stopping;
    },
  };
}
