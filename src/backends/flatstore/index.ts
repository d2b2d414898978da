import type { BackendFactory } from '../../bus/backend.js';
import { FileBackend } from '../shared/file-backend.js';
import { checkPermissionCap, DEFAULT_MAX_PERMISSIONS, rootsOf } from '../shared/file-options.js';
import type { FileRegistry } from '../shared/file-registry.js';
import { confinePath } from '../../runtime/files-roots.js';
import { socketOptions } from '../shared/socket-schema.js';
import { createFlatstoreEncoder } from './encode.js';
import { FlatstoreOptionsSchema, type FlatstoreConfig } from './schema.js';
import { NO_DESTINATIONS } from '../shared/destinations.js';

export interface FlatstoreFactoryOptions {
  /** Defaults for every flatstore socket (the `flatstore:` config section); socket query options win. */
  readonly config?: Partial<FlatstoreConfig>;
  /** Clock for suffixes and rotation timestamps, epoch ms. Tests inject one. */
  readonly now?: () => number;
  readonly registry?: FileRegistry;
  /** `files.max_permissions`: a file_permissions beyond it is refused. Default 0664. */
  readonly maxPermissions?: number;
}

/**
 * `flatstore:PATH[?option=value&…]`: OpenSIPS-compatible delimited lines. A relative
 * PATH is relative to the working directory, as OpenSIPS takes it. The real path must lie under `files.roots`.
 */
export function createFlatstoreFactory(options: FlatstoreFactoryOptions = {}): BackendFactory {
  const defaults: Partial<FlatstoreConfig> = options.config ?? {};
  const now = options.now ?? Date.now;
  const maxPermissions = options.maxPermissions ?? DEFAULT_MAX_PERMISSIONS;
  return {
    transport: 'flatstore',
    destinations: NO_DESTINATIONS,
    description: 'OpenSIPS-compatible delimited text file, one event per line (docs/backends/flatstore.md).',
    create(address, ctx) {
      const o = socketOptions(address.socket, FlatstoreOptionsSchema, address.options, defaults);
      checkPermissionCap(address.socket, o.file_permissions, maxPermissions);
      const { realPath } = confinePath(address.address, rootsOf(ctx));
      return new FileBackend({
        spec: {
          key: realPath,
          format: 'flatstore',
          modeBits: o.file_permissions,
          flushIntervalMs: o.flush_interval_ms,
          fsync: o.fsync,
          rotation: { countLines: o.rotate_count, sizeBytes: o.rotate_size, periodS: o.rotate_period, suffix: o.suffix, timezone: o.timezone },
          daily: undefined,
          now,
        },
        maxOpenFiles: o.max_open_files,
        encode: createFlatstoreEncoder({ delimiter: o.delimiter, suppressEventName: o.suppress_event_name }),
        ctx,
        ...(options.registry !== undefined ? { registry: options.registry } : {}),
      });
    },
  };
}

/** The flatstore factory with built-in defaults; `herald serve` registers one built from config. */
export const flatstoreBackend: BackendFactory = createFlatstoreFactory();
