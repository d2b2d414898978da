import { startFileService } from '../backends/files-service.js';
import { startMetricsService } from '../metrics/service.js';
import { startMiService } from '../mi/service.js';
import { startCoreEventsService } from '../process/service.js';
import { startHepService } from '../sources/hep/service.js';
import { startIngestHttpService } from '../sources/http/service.js';
import { startIngestOmeService } from '../sources/ome/service.js';
import { startIngestMqttService } from '../sources/mqtt/service.js';
import { startIngestNatsService } from '../sources/nats/service.js';
import { startIngestOpensipsService } from '../sources/opensips/service.js';
import { startIngestRabbitmqService } from '../sources/rabbitmq/service.js';
import { startIngestRedisService } from '../sources/redis/service.js';
import { startSipService } from '../sources/sip/service.js';
import { startSipParsePoolService } from '../trace/sip-pool/service.js';
import { startTraceService } from '../trace/tracer-service.js';
import type { HeraldConfig } from '../config/schema.js';
import type { ServiceStarter } from '../runtime/service.js';
import { startScaleOutWriterService } from '../scale-out/writer-service.js';

/**
 * The services `herald serve` starts. The start order is derived from what each
 * declares it provides, needs and uses (runtime/order.ts); this list only breaks
 * ties. They close in reverse start order. Each feature adds its starter here (one line each).
 */
export const SERVICES: readonly ServiceStarter[] = [
  startFileService,
  startMiService,
  startMetricsService,
  startCoreEventsService,
  startSipParsePoolService,
  startTraceService,
  startHepService,
  startSipService,
  startIngestHttpService,
  startIngestOpensipsService,
  startIngestNatsService,
  startIngestOmeService,
  startIngestRabbitmqService,
  startIngestMqttService,
  startIngestRedisService,
];

/**
 * A writer (role `writer`, docs/scale-out.md) runs no collectors and no ingest
 * listeners: the MI, metrics, core events, the trace store (PostgreSQL, also for
 * trace_search) and the pull loop that writes the stream into it.
 */
const WRITER_SERVICES: readonly ServiceStarter[] = [
  startFileService,
  startMiService,
  startMetricsService,
  startCoreEventsService,
  startTraceService,
  startScaleOutWriterService,
];

/** The services of a role: standalone and collector run the same set (a collector's stores are JetStream). */
export function servicesFor(role: HeraldConfig['role']): readonly ServiceStarter[] {
  return role === 'writer' ? WRITER_SERVICES : SERVICES;
}
