import { param } from '../../params.js';
import { defineDovecotOperation } from './operation.js';

/**
 * DNS events: `dns_request_*` come from the DNS client library (Dovecot
 * category `dns`), `dns_worker_request_*` from the DNS worker process that
 * does the lookup (category `dns-worker`).
 */
const dnsError = {
  error: param.string('Human-readable error; set only when the lookup failed.').optional(),
  error_code: param.int('Error code usable with net_gethosterror(); set only when the lookup failed.').optional(),
};

const worker = defineDovecotOperation({
  name: 'dns_worker_request',
  category: 'dns-worker',
  startedDescription: 'The DNS worker process started processing a request. Dovecot categories: dns-worker.',
  finishedDescription: 'The DNS worker process finished processing a request. Dovecot categories: dns-worker.',
  params: {},
  finishedParams: dnsError,
});
export const dns_worker_request_started = worker.started;
export const dns_worker_request_finished = worker.finished;

const client = defineDovecotOperation({
  name: 'dns_request',
  category: 'dns',
  startedDescription: 'The DNS client library sent a request to the DNS worker. Dovecot categories: dns.',
  finishedDescription: 'The DNS client library got the answer to its request from the DNS worker. Dovecot categories: dns.',
  params: {},
  finishedParams: dnsError,
});
export const dns_request_started = client.started;
export const dns_request_finished = client.finished;

export const dnsEvents = [
  dns_worker_request_started,
  dns_worker_request_finished,
  dns_request_started,
  dns_request_finished,
] as const;
