import { Worker, type Transferable } from 'node:worker_threads';
import { tsxFor } from '../../runtime/thread-module.js';

/**
 * The code every pool thread starts with: it loads the task module (registering
 * tsx first when the module is TypeScript, i.e. Herald runs from source), then
 * answers `{ id, input }` with `{ id, ok, output }` or `{ id, ok: false, error }`.
 * A task module exports `run(input)` (sync or async) and, optionally,
 * `transferList(output)` naming ArrayBuffers to move instead of copy.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const task = await import(workerData.taskModule);
  parentPort.on('message', async ({ id, input }) => {
    try {
      const output = await task.run(input);
      const transfer = typeof task.transferList === 'function' ? task.transferList(output) : [];
      parentPort.postMessage({ id, ok: true, output }, transfer);
    } catch (error) {
      parentPort.postMessage({ id, ok: false, error: { name: String(error && error.name), message: String(error && error.message || error) } });
    }
  });
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

export interface TaskReply {
  readonly id: number;
  readonly ok: boolean;
  readonly output?: unknown;
  readonly error?: { readonly name: string; readonly message: string };
}


/**
 * One pool thread plus the bookkeeping auto-scaling needs: one task at a time,
 * and how long it was busy since the last cycle.
 */
export class PoolWorker {
  readonly worker: Worker;
  readonly id: number;
  /** Set when scaling down: take no new task, exit after the current one. */
  draining = false;
  taskId: number | undefined;
  #busySinceMs: number | undefined;
  #busyMs = 0;

  constructor(taskModule: URL) {
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData: { taskModule: taskModule.href, tsx: tsxFor(taskModule) } });
    this.id = this.worker.threadId;
  }

  get idle(): boolean {
    return this.taskId === undefined && !this.draining;
  }

  start(id: number, input: unknown, transfer: readonly Transferable[]): void {
    this.taskId = id;
    this.#busySinceMs = performance.now();
    this.worker.postMessage({ id, input }, transfer);
  }

  /** Marks the current task done. */
  finish(): void {
    if (this.#busySinceMs !== undefined) this.#busyMs += performance.now() - this.#busySinceMs;
    this.#busySinceMs = undefined;
    this.taskId = undefined;
  }

  /** Busy time since the last call (including a task still running), then restarts the count. */
  takeBusyMs(): number {
    const now = performance.now();
    let busy = this.#busyMs;
    if (this.#busySinceMs !== undefined) {
      busy += now - this.#busySinceMs;
      this.#busySinceMs = now;
    }
    this.#busyMs = 0;
    return busy;
  }
}
