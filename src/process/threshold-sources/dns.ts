import { observeDnsLookups } from '../hooks/dns-lookups.js';
import { monotonicUs, type Thresholds } from '../thresholds.js';

/** Source `dns`: each `dns.lookup` (OpenSIPS exec_dns_threshold); extra is the host name. */
export function watchDns(thresholds: Thresholds): () => void {
  return observeDnsLookups((hostname) => {
    const startUs = monotonicUs();
    return () => {
      thresholds.record('dns', monotonicUs() - startUs, hostname);
    };
  });
}
