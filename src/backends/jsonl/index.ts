import type { BackendFactory } from '../../bus/backend.js';
import { JsonLineSerializer } from '../../events/serialize-json.js';
import { FileBackend } from '../shared/file-backend.js';
import { checkPermissionCap, DEFAULT_MAX_PERMISSIONS, rootsOf } from '../shared/file-options.js';
import type { FileRegistry } from '../shared/file-registry.js';
import { confinePath } from '../../runtime/files-roots.js';
import { socketOptions } from '../shared/socket-schema.js';
import { NO_ROTATION } from '../shared/rotation.js';
import { JsonlOptionsSchema, type JsonlConfig } from './schema.js';
import { NO_DESTINATIONS } from '../shared/destinations.js';

export interface JsonlFactoryOptions {
  /** Defaults for every jsonl socket (the `jsonl:` config section); socket query options win. */
  readonly config?: Partial<JsonlConfig>;
  /** Clock for day boundaries and rotation timestamps, epoch ms. Tests inject one. */
  readonly now?: () => number;
  readonly registry?: FileRegistry;
  /** `files.max_permissions`: a file_permissions beyond it is refused. Default 0664. */
  readonly maxPermissions?: number;
}

/**
 * `jsonl:PATH[?option=value&…]`: the event log, one JSON record per line, rolled
 * daily to PATH.YYYYMMDD. The real path must lie under `files.roots`.
 */
export function createJsonlFactory(options: JsonlFactoryOptions = {}): BackendFactory {
  const defaults: Partial<JsonlConfig> = options.config ?? {};
  const now = options.now ?? Date.now;
  const maxPermissions = options.maxPermissions ?? DEFAULT_MAX_PERMISSIONS;
  return {
    transport: 'jsonl',
    destinations: NO_DESTINATIONS,
    description: 'JSON-lines event log with daily rolling (docs/backends/jsonl.md).',
    create(address, ctx) {
      const o = socketOptions(address.socket, JsonlOptionsSchema, address.options, defaults);
      checkPermissionCap(address.socket, o.file_permissions, maxPermissions);
      const { realPath } = confinePath(address.address, rootsOf(ctx));
      const serializer = new JsonLineSerializer(o.timezone, { id: o.event_id });
      return new FileBackend({
        spec: {
          key: realPath,
          format: 'jsonl',
          modeBits: o.file_permissions,
          flushIntervalMs: o.flush_interval_ms,
          fsync: o.fsync,
          rotation: { ...NO_ROTATION, timezone: o.timezone },
          daily: o.roll === 'daily' ? { keep: o.keep, compress: o.compress, timezone: o.timezone } : undefined,
          now,
        },
        maxOpenFiles: o.max_open_files,
        encode: (event) => serializer.line(event),
        ctx,
        ...(options.registry !== undefined ? { registry: options.registry } : {}),
      });
    },
  };
}

/** The jsonl factory with built-in defaults; `herald serve` registers one built from config. */
export const jsonlBackend: BackendFactory = createJsonlFactory();
