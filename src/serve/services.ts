import { startFileService } from '../backends/files-service.js';
import { startMiService } from '../mi/service.js';
import { startCoreEventsService } from '../process/service.js';
import type { ServiceStarter } from './runtime.js';

/**
 * The services `herald serve` starts, in order; they stop in reverse order.
 * Each feature adds its starter here (one line each).
 */
export const SERVICES: readonly ServiceStarter[] = [
  startFileService,
  startMiService,
  startCoreEventsService,
];
