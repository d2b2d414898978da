import type { Bus } from '../bus/bus.js';
import type { Logger } from '../log/logger.js';
import type { Service } from '../runtime/service.js';

/**
 * Stops the daemon within one deadline: services in reverse start order, each
 * closed with what is left of the deadline and destroyed when its close has not
 * settled by then (so one service that never drains cannot hold the others or
 * the bus), then the bus drains and closes its backends in the remainder.
 */
export async function stopServices(services: readonly Service[], bus: Bus, deadlineMs: number, logger: Logger): Promise<void> {
  const endsAt = Date.now() + deadlineMs;
  for (const service of [...services].reverse()) {
    await closeOrDestroy(service, Math.max(0, endsAt - Date.now()), logger);
  }
  await bus.close({ deadlineMs: Math.max(0, endsAt - Date.now()) });
}

async function closeOrDestroy(service: Service, deadlineMs: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), deadlineMs);
  });
  const closed = service.close(deadlineMs).then(
    () => 'closed' as const,
    (error: unknown) => {
      logger.warn({ err: error, service: service.name }, 'Service failed to stop cleanly.');
      return 'failed' as const;
    },
  );
  const outcome = await Promise.race([closed, expired]);
  clearTimeout(timer);
  if (outcome !== 'expired') return;
  logger.warn({ service: service.name, deadlineMs }, 'Service did not close within the deadline; destroying it.');
  await service.destroy().catch((error: unknown) => logger.warn({ err: error, service: service.name }, 'Service failed to stop cleanly.'));
}
