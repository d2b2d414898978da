import { nowUs } from '../../events/event.js';
import { dns_request_finished, dns_request_started } from '../../events/packs/dovecot.js';
import { observeDnsLookups } from '../hooks/dns-lookups.js';
import { attachWhileListened, type InstrumentBus } from './attach-while-listened.js';
import { dnsErrorCode } from './error-codes.js';

/**
 * `dns_request_started` when `dns.lookup` (or `dns.promises.lookup`) is called,
 * `dns_request_finished` when it answers, with `duration` (µs) and, on failure
 * only, `error` (Node's message) and `error_code` (the getaddrinfo EAI_* value,
 * as Dovecot's net_gethosterror() expects; Node's errno when it has none).
 */
export function instrumentDns(bus: InstrumentBus): () => void {
  return attachWhileListened(bus, [dns_request_started, dns_request_finished], () => observeDnsLookups(() => {
    if (!bus.enabled(dns_request_started) && !bus.enabled(dns_request_finished)) return undefined;
    const startedUs = nowUs();
    bus.raise(dns_request_started, {}, { timeUs: startedUs });
    return (error) => {
      const endUs = nowUs();
      const failure = error === null ? {} : { error: error.message, error_code: dnsErrorCode(error) };
      bus.raise(dns_request_finished, { ...failure, duration: Math.max(0, endUs - startedUs) }, { timeUs: endUs });
    };
  }));
}
