import type { Worker } from 'node:worker_threads';
import { siblingModule, startModuleThread } from '../thread-module.js';
import type { FromReceiver, ReceiverThreadOptions } from './protocol.js';

/* Starting one receiver thread (receiver-task.ts) and waiting for its socket's bind: at start-up and again after a crash. */

const TASK_MODULE = siblingModule(import.meta.url, 'receiver-task');

export type ReceiverBound = Extract<FromReceiver, { type: 'bound' }>;
export type ReceiverLogLine = Extract<FromReceiver, { type: 'log' }>;

export interface StartedReceiver {
  readonly worker: Worker;
  readonly bound: ReceiverBound;
}

/**
 * Starts the thread and waits until it has bound; rejects with the bind error (its `code`
 * kept, e.g. EADDRINUSE), or when the thread died first, and leaves no thread behind then.
 * The thread's log lines before the bind go to `log`.
 */
export async function startReceiver(options: ReceiverThreadOptions, log: (line: ReceiverLogLine) => void): Promise<StartedReceiver> {
  const worker = startModuleThread(TASK_MODULE, options, `udp ${options.host}:${options.port}`);
  const first = await new Promise<FromReceiver>((resolve, reject) => {
    const onMessage = (message: FromReceiver) => {
      if (message.type === 'log') return log(message);
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`UDP receiver thread exited (${code}) before binding`)));
  });
  if (first.type !== 'bound') {
    await worker.terminate();
    const message = first.type === 'bind_error' ? first.message : `unexpected ${first.type}`;
    throw Object.assign(new Error(message), first.type === 'bind_error' && first.code !== undefined ? { code: first.code } : {});
  }
  return { worker, bound: first };
}
