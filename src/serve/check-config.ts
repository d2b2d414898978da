import { BackendRegistry } from '../bus/backend-registry.js';
import { compileFilter } from '../bus/filter/index.js';
import { parseSocket } from '../bus/socket.js';
import { registerShippedBackends } from '../backends/index.js';
import type { HeraldConfig } from '../config/schema.js';
import { HeraldError } from '../errors/herald-error.js';
import { createDefaultCatalogue } from '../events/packs/index.js';
import { parseAutoScaleProfile } from '../process/autoscale/profile.js';
import { parseDestinationPattern } from '../runtime/destination-patterns.js';
import { httpLimitsOf } from '../runtime/http-limits.js';
import { parseListen } from '../runtime/listen.js';
import { parseTraceId } from '../trace/tracer-ids.js';
import { scaleOutProblems } from './check-scale-out.js';

/*
 *  What `herald serve` would refuse, checked without opening or binding anything
 *  (issue 12 point 21: `herald config` passed configs that serve rejected, and serve
 *  bound ports before rejecting them). `herald config` and `serve` both run it, right
 *  after the schema check; every problem is reported at once with its key path.
 */

function attempt(problems: string[], key: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    problems.push(`  ${key}: ${(error as Error).message.replace(/^Invalid config: /, '')}`);
  }
}

function subscriberProblems(config: HeraldConfig, problems: string[]): void {
  const catalogue = createDefaultCatalogue();
  const backends = registerShippedBackends(new BackendRegistry());
  for (const [index, entry] of (config.subscribers ?? []).entries()) {
    const key = `subscribers[${index}]`;
    attempt(problems, `${key}.socket`, () => {
      const { transport } = parseSocket(entry.socket);
      backends.get(transport);
      if (transport === 'memory' && !config.delivery.memory_transport) {
        throw new Error('memory: is a test transport; set delivery.memory_transport: true to allow it');
      }
    });
    if ((entry.event === undefined) === (entry.filter === undefined)) problems.push(`  ${key}: give exactly one of event or filter`);
    if (entry.event !== undefined && !catalogue.has(entry.event)) problems.push(`  ${key}.event: unknown event "${entry.event}" (herald events lists them)`);
    if (entry.filter !== undefined) attempt(problems, `${key}.filter`, () => compileFilter(entry.filter as string));
  }
}

/**
 * Checks what the schema cannot: subscriber transports, events and filters, the
 * autoscale profile, trace ids and destination patterns, listen addresses, MI deadlines,
 * what the collector and writer roles need.
 * @throws HeraldError HERALD_ERR_CONFIG listing every problem.
 */
export function checkServeConfig(config: HeraldConfig, origin = 'config'): void {
  const problems: string[] = [];
  subscriberProblems(config, problems);
  const profile = config.core_events.autoscale.profile;
  if (profile.trim() !== '') attempt(problems, 'core_events.autoscale.profile', () => parseAutoScaleProfile(profile));
  config.trace.ids.forEach((text, index) => attempt(problems, `trace.ids[${index}]`, () => parseTraceId(text)));
  for (const [key, patterns] of [['trace.allowed_destinations', config.trace.allowed_destinations], ['delivery.allowed_destinations', config.delivery.allowed_destinations]] as const) {
    patterns.forEach((text, index) => attempt(problems, `${key}[${index}]`, () => parseDestinationPattern(text, key)));
  }
  for (const [key, value] of [['mi.listen', config.mi.listen], ['hep.listen', config.hep.listen], ['sip.listen', config.sip.listen]] as const) {
    attempt(problems, key, () => parseListen(value, key));
  }
  for (const [prefix, section] of [['mi.', config.mi], ['ingest.http.', config.ingest.http], ['metrics.', config.metrics]] as const) {
    attempt(problems, `${prefix}headers_timeout_ms`, () => httpLimitsOf(section, prefix));
  }
  problems.push(...scaleOutProblems(config));
  if (problems.length > 0) throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config in ${origin}:\n${problems.join('\n')}`);
}
