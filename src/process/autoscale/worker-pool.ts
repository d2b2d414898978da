import type { Transferable } from 'node:worker_threads';
import type { Bus } from '../../bus/bus.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { StatusRegistry } from '../../runtime/status/registry.js';
import { PoolScaling } from './pool-scaling.js';
import { PoolWorker, type TaskReply } from './pool-worker.js';
import type { AutoScaleProfile } from './profile.js';

/*
 *   run(input) ─▶ queue ─▶ idle PoolWorker ─▶ worker thread: task.run(input)
 *                    ▲                               │
 *                    └──── next task ◀── reply ──────┘
 *
 *   every cycle: busy time of each worker ─▶ load % ─▶ AutoScaler ─▶ add/drain a worker
 *                                                                   └▶ E_CORE_PROC_AUTO_SCALE
 */

export interface WorkerPoolOptions {
  /** Module run in each thread: `export function run(input)` (+ optional `transferList(output)`). */
  readonly taskModule: URL;
  /** Threads at start. Default: the profile's M, at least 1. */
  readonly workers?: number;
  /** E_CORE_PROC_AUTO_SCALE `group_type`. Default `worker`. */
  readonly name?: string;
  /** E_CORE_PROC_AUTO_SCALE `group_filter`. Default `none`. */
  readonly filter?: string;
  /** Scales the pool by an OpenSIPS profile every `cycleMs`. */
  readonly scaling?: { readonly profile: AutoScaleProfile; readonly cycleMs: number };
  readonly bus?: Pick<Bus, 'raise'>;
  /** Gets a report in group `auto-scaling` on every scale-up/down. */
  readonly status?: StatusRegistry;
  /** Tasks waiting for a thread before `run` rejects with HERALD_ERR_LIMIT. Default 10000. */
  readonly maxQueuedTasks?: number;
}

interface Task {
  readonly id: number;
  readonly input: unknown;
  readonly transfer: readonly Transferable[];
  resolve(output: unknown): void;
  reject(error: Error): void;
}

export interface WorkerPoolStats {
  readonly workers: number;
  readonly queued: number;
  readonly running: number;
  readonly completed: number;
}

/** A pool of worker threads running one task module, optionally auto-scaled. */
export class WorkerPool {
  readonly name: string;
  readonly filter: string;
  readonly #taskModule: URL;
  readonly #workers: PoolWorker[] = [];
  readonly #queue: Task[] = [];
  readonly #running = new Map<number, Task>();
  readonly #maxQueued: number;
  readonly #scaling: PoolScaling | undefined;
  #idleWaiters: Array<() => void> = [];
  #nextTaskId = 1;
  #completed = 0;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    this.name = options.name ?? 'worker';
    this.filter = options.filter ?? 'none';
    this.#taskModule = options.taskModule;
    this.#maxQueued = options.maxQueuedTasks ?? 10_000;
    const initial = options.workers ?? Math.max(1, options.scaling?.profile.minWorkers ?? 1);
    for (let i = 0; i < Math.max(1, initial); i++) this.#spawn();
    if (options.scaling !== undefined) {
      this.#scaling = new PoolScaling(this, { ...options.scaling, bus: options.bus, status: options.status });
    }
  }

  /** Runs one task on a free thread; `transfer` lists ArrayBuffers to move, not copy. */
  run<O = unknown>(input: unknown, transfer: readonly Transferable[] = []): Promise<O> {
    if (this.#closed) return Promise.reject(new HeraldError('HERALD_ERR_LIMIT', `Worker pool ${this.name} is closed`));
    if (this.#queue.length >= this.#maxQueued) {
      return Promise.reject(new HeraldError('HERALD_ERR_LIMIT', `Worker pool ${this.name} has ${this.#queue.length} tasks waiting`));
    }
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ id: this.#nextTaskId++, input, transfer, resolve: resolve as (output: unknown) => void, reject });
      this.#dispatch();
    });
  }

  /** Live threads, not counting those draining away. */
  get size(): number {
    return this.#workers.filter((w) => !w.draining).length;
  }

  stats(): WorkerPoolStats {
    return { workers: this.size, queued: this.#queue.length, running: this.#running.size, completed: this.#completed };
  }

  /** Per-thread busy time since the last call, for the load of one cycle. Draining threads are left out. */
  takeBusy(): Array<{ readonly id: number; readonly busyMs: number }> {
    return this.#workers.filter((w) => !w.draining).map((w) => ({ id: w.id, busyMs: w.takeBusyMs() }));
  }

  /** Adds a thread; returns its id. */
  grow(): number {
    return this.#spawn().id;
  }

  /** Drains the newest thread (it exits after its current task); returns its id, or undefined at one thread. */
  shrink(): number | undefined {
    const live = this.#workers.filter((w) => !w.draining);
    if (live.length <= 1) return undefined;
    const victim = live[live.length - 1];
    victim.draining = true;
    if (victim.taskId === undefined) void this.#retire(victim);
    return victim.id;
  }

  /** Stops scaling, rejects waiting tasks, lets running ones finish, then ends every thread. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#scaling?.stop();
    for (const task of this.#queue.splice(0)) task.reject(new HeraldError('HERALD_ERR_LIMIT', `Worker pool ${this.name} closed`));
    if (this.#running.size > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    await Promise.all(this.#workers.splice(0).map((w) => w.worker.terminate()));
  }

  #spawn(): PoolWorker {
    const worker = new PoolWorker(this.#taskModule);
    worker.worker.on('message', (reply: TaskReply) => this.#onReply(worker, reply));
    worker.worker.on('error', (error) => this.#onCrash(worker, error));
    worker.worker.on('exit', (code) => this.#onCrash(worker, new Error(`Worker thread exited with code ${code}`)));
    worker.worker.unref();
    this.#workers.push(worker);
    this.#dispatch();
    return worker;
  }

  #dispatch(): void {
    for (const worker of this.#workers) {
      if (this.#queue.length === 0) return;
      if (!worker.idle) continue;
      const task = this.#queue.shift() as Task;
      this.#running.set(task.id, task);
      worker.worker.ref();
      worker.start(task.id, task.input, task.transfer);
    }
  }

  #onReply(worker: PoolWorker, reply: TaskReply): void {
    const task = this.#running.get(reply.id);
    worker.finish();
    if (this.#queue.length === 0) worker.worker.unref();
    if (task !== undefined) {
      this.#running.delete(reply.id);
      this.#completed++;
      if (reply.ok) task.resolve(reply.output);
      else task.reject(Object.assign(new Error(reply.error?.message ?? 'Task failed'), { name: reply.error?.name ?? 'Error' }));
    }
    if (worker.draining) void this.#retire(worker);
    else this.#dispatch();
    this.#notifyIdle();
  }

  #notifyIdle(): void {
    if (this.#running.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #onCrash(worker: PoolWorker, error: Error): void {
    const index = this.#workers.indexOf(worker);
    if (index < 0) return;
    this.#workers.splice(index, 1);
    const task = worker.taskId === undefined ? undefined : this.#running.get(worker.taskId);
    if (task !== undefined) {
      this.#running.delete(task.id);
      task.reject(error);
    }
    // A thread that died on its own is replaced, so the pool keeps its size.
    if (!this.#closed && !worker.draining) this.#spawn();
    this.#notifyIdle();
  }

  async #retire(worker: PoolWorker): Promise<void> {
    const index = this.#workers.indexOf(worker);
    if (index >= 0) this.#workers.splice(index, 1);
    await worker.worker.terminate();
  }
}
