import type { Backend, BackendContext, WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { E_FLATSTORE_ROTATION } from '../../events/packs/core.js';
import { fileRegistry, type FileRegistry } from './file-registry.js';
import type { FileSpec, RotationInfo, RotationListener, SharedFile } from './shared-file.js';

export interface FileBackendInit {
  readonly spec: FileSpec;
  readonly maxOpenFiles: number;
  /** One event to one line, ending in `\n`. Must not mutate the event. */
  readonly encode: (event: HeraldEvent) => string;
  readonly ctx: BackendContext;
  readonly registry?: FileRegistry;
}

/** One listener per bus, so a file shared by several subscriptions of a bus raises each rotation once. */
const listeners = new WeakMap<BackendContext['raise'], RotationListener>();

function rotationListener(ctx: BackendContext): RotationListener {
  let listener = listeners.get(ctx.raise);
  if (listener === undefined) {
    listener = (info: RotationInfo) => ctx.raise(E_FLATSTORE_ROTATION, {
      timestamp: info.timestampS, reason: info.reason, filename: info.filename, old_filename: info.oldFilename,
    });
    listeners.set(ctx.raise, listener);
  }
  return listener;
}

/**
 * A flatstore or jsonl subscriber: encodes each event to a line and appends it
 * to the shared file for its path. The slot (max_open_files) is taken in the
 * constructor, so a refused subscription fails before anything opens.
 */
export class FileBackend implements Backend {
  readonly #file: SharedFile;
  readonly #encode: (event: HeraldEvent) => string;
  readonly #ctx: BackendContext;
  readonly #registry: FileRegistry;
  readonly #listener: RotationListener;
  #closing: Promise<void> | undefined;
  /** The open signal aborted (the bus is stopping at once): writes are refused; close still writes what was acknowledged. */
  #destroyed = false;

  constructor(init: FileBackendInit) {
    this.#registry = init.registry ?? fileRegistry;
    this.#file = this.#registry.acquire(init.spec, init.maxOpenFiles, init.ctx.logger);
    this.#encode = init.encode;
    this.#ctx = init.ctx;
    this.#listener = rotationListener(init.ctx);
    this.#file.addListener(this.#listener);
  }

  /** The file being written right now. */
  get filename(): string {
    return this.#file.filename;
  }

  async open(signal?: AbortSignal): Promise<void> {
    signal?.addEventListener('abort', () => { this.#destroyed = true; }, { once: true });
    if (signal?.aborted === true) this.#destroyed = true;
    try {
      await this.#file.ready();
    } catch (error) {
      await this.close();
      throw new HeraldError('HERALD_ERR_SUBSCRIBE', `Cannot open ${this.#file.filename}: ${toError(error).message}`, { cause: error });
    }
  }

  write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closing !== undefined || this.#destroyed) {
      return Promise.resolve({ status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `The file backend is ${this.#destroyed ? 'destroyed' : 'closed'}`) });
    }
    const file = this.#file;
    const failure = file.failure;
    if (failure !== undefined) {
      file.retryOwed();
      return Promise.resolve({ status: 'retryable', error: failure });
    }
    try {
      file.beginWrite();
      for (const event of batch) {
        const line = this.#encodeSafely(event);
        if (line !== undefined) file.push(line, event.def !== E_FLATSTORE_ROTATION);
      }
      return file.commit();
    } catch (error) {
      return Promise.resolve({ status: 'failed', error: toError(error) });
    }
  }

  flush(): Promise<void> {
    return this.#file.flush();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#file.removeListener(this.#listener);
      await this.#registry.release(this.#file);
    })();
    return this.#closing;
  }

  /** Encoders are total by design; should one still throw, that event is skipped rather than the batch. */
  #encodeSafely(event: HeraldEvent): string | undefined {
    try {
      return this.#encode(event);
    } catch (error) {
      this.#ctx.logger.warn({ err: error, event: event.name }, 'Could not encode an event for a file backend; skipped it.');
      return undefined;
    }
  }
}
