import { param } from '../../params.js';
import { defineDovecotEvent } from './operation.js';

/**
 * HTTP client events, raised by Dovecot's HTTP client library when it calls an
 * external service. Dovecot category `http-client`. The redirected/retried
 * events carry the same fields as `http_request_finished`, so they are its
 * children.
 */
const CATEGORY = 'http-client';
const ALSO = 'Dovecot categories: http-client.';

export const http_request_finished = defineDovecotEvent({
  name: 'http_request_finished',
  category: CATEGORY,
  level: 'info',
  description: `An HTTP request finished, successfully or not. Useful to monitor external services. ${ALSO}`,
  params: {
    status_code: param.int('The HTTP result status code.'),
    attempts: param.int('Number of attempts made (retries after failures + 1).'),
    redirects: param.int('Number of redirects followed while processing the request.'),
    bytes_in: param.int('Bytes received for this request.'),
    bytes_out: param.int('Bytes sent for this request.'),
  },
});

export const http_request_redirected = defineDovecotEvent({
  name: 'http_request_redirected',
  category: CATEGORY,
  level: 'debug',
  description: `Intermediate event: the HTTP request is being redirected. http_request_finished is still sent at the end. ${ALSO}`,
  parent: http_request_finished,
  params: {},
});

export const http_request_retried = defineDovecotEvent({
  name: 'http_request_retried',
  category: CATEGORY,
  level: 'debug',
  description: `Intermediate event: the HTTP request is being retried. http_request_finished is still sent at the end. ${ALSO}`,
  parent: http_request_finished,
  params: {},
});

export const httpEvents = [http_request_finished, http_request_redirected, http_request_retried] as const;
