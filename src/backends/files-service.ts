import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { createFlatstoreFactory } from './flatstore/index.js';
import { createJsonlFactory } from './jsonl/index.js';
import { fileRegistry } from './shared/file-registry.js';
import { parseOctalMode } from './shared/option-parse.js';

async function startFiles(runtime: Runtime): Promise<Service> {
  const maxPermissions = parseOctalMode(runtime.config.files.max_permissions);
  runtime.bus.backends
    .register(createFlatstoreFactory({ config: runtime.config.flatstore, maxPermissions }))
    .register(createJsonlFactory({ config: runtime.config.jsonl, maxPermissions }));
  const onHangup = () => {
    runtime.logger.info({ files: fileRegistry.size }, 'SIGHUP: rotating every events file.');
    fileRegistry.rotate().catch((error: unknown) => runtime.logger.error({ err: error }, 'Rotating events files on SIGHUP failed.'));
  };
  process.on('SIGHUP', onHangup);
  const stop = async () => {
    process.off('SIGHUP', onHangup);
  };
  return { name: 'files', close: stop, destroy: stop };
}

/**
 * The file backends inside `herald serve`: registers flatstore: and jsonl: with
 * the defaults of the `flatstore:` and `jsonl:` config sections (before config
 * subscribers are created), and rotates every open file on SIGHUP — logrotate's
 * `postrotate kill -HUP`. Stopping removes the handler; files close with the bus.
 */
export const startFileService = defineService({
  name: 'files',
  start: startFiles,
});
