import type { Logger } from '../../log/logger.js';
import type { FileSpec, RotationInfo, RotationListener } from './file-spec.js';
import { gzipFile, maintainRolled } from './retention.js';

/**
 * What happens after a file of a SharedFile rotated: its listeners hear of it (each
 * once, however many backends share the file), and rolled files are kept and
 * compressed off the write path, one job after another.
 */
export class RotationAnnouncer {
  readonly #spec: FileSpec;
  readonly #logger: Logger;
  readonly #listeners = new Map<RotationListener, number>();
  #upkeep: Promise<void> = Promise.resolve();

  constructor(spec: FileSpec, logger: Logger) {
    this.#spec = spec;
    this.#logger = logger;
  }

  addListener(listener: RotationListener): void {
    this.#listeners.set(listener, (this.#listeners.get(listener) ?? 0) + 1);
  }

  removeListener(listener: RotationListener): void {
    const count = (this.#listeners.get(listener) ?? 0) - 1;
    if (count > 0) this.#listeners.set(listener, count);
    else this.#listeners.delete(listener);
  }

  /** Resolves once the upkeep started so far is done. */
  idle(): Promise<void> {
    return this.#upkeep;
  }

  /**
   * Announces a rotation and starts the rolled-file upkeep. A roll that is to be gzipped
   * is announced once its `.gz` exists, under that name, so `old_filename` names the file
   * on disk (issue 12, point 17); if compressing fails it is announced with the plain name.
   */
  announce(info: RotationInfo, moved: boolean): void {
    if (moved && this.#spec.daily?.compress === true) {
      this.#upkeep = this.#upkeep
        .then(() => gzipFile(info.oldFilename, this.#spec.modeBits))
        .then((gz) => this.#notify({ ...info, oldFilename: gz }), (error: unknown) => {
          this.#logger.warn({ err: error, file: info.oldFilename }, 'Compressing a rolled events file failed; it stays uncompressed.');
          this.#notify(info);
        });
    } else {
      this.#notify(info);
    }
    this.maintain();
  }

  /** Applies `keep` and `compress` to the rolled files of a daily file. */
  maintain(): void {
    const daily = this.#spec.daily;
    if (daily === undefined) return;
    this.#upkeep = this.#upkeep
      .then(() => maintainRolled(this.#spec.key, daily, this.#spec.now(), this.#spec.modeBits))
      .catch((error: unknown) => this.#logger.warn({ err: error, file: this.#spec.key }, 'Rolled-file upkeep (keep/compress) failed.'));
  }

  #notify(info: RotationInfo): void {
    for (const listener of this.#listeners.keys()) {
      try {
        listener(info);
      } catch (error) {
        this.#logger.warn({ err: error }, 'Rotation listener failed.');
      }
    }
  }
}
