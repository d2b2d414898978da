import { param } from '../../params.js';
import { defineOmeEvent } from './define.js';

/** RestApiEvent and AccessControlEvent: the REST API and request verification. */

export const RestApiRequested = defineOmeEvent({
  name: 'RestApiRequested',
  category: 'RestApiEvent',
  level: 'info',
  description: 'A REST API request was received. The snapshot holds the request body.',
  params: {
    httpVersion: param.string('The HTTP version.'),
    method: param.string('The HTTP method.'),
    path: param.string('The request path.'),
    remoteAddress: param.string('The remote address of the caller.'),
    requestId: param.string('The request id, shared with the matching RestApiResponded.'),
  },
  snapshot: true,
  summary: 'REST API requested. HTTP/{httpVersion} {method} {path}, Remote: {remoteAddress}, RequestId: {requestId}',
});

export const RestApiResponded = defineOmeEvent({
  name: 'RestApiResponded',
  category: 'RestApiEvent',
  level: 'info',
  description: 'A REST API response was sent; raised at level error when the response is an error. The snapshot holds the response body.',
  params: {
    statusCode: param.int('The response status code.'),
    requestId: param.string('The request id, shared with the matching RestApiRequested.'),
  },
  snapshot: true,
  summary: 'REST API responded. Status: {statusCode}, RequestId: {requestId}',
});

const verificationParams = {
  requestUrl: param.string('The request URL.'),
  remoteAddress: param.string('The remote address of the client.'),
  errorMessage: param.string('Why verification failed.'),
};

export const VerifyingSignedPolicyFailed = defineOmeEvent({
  name: 'VerifyingSignedPolicyFailed',
  category: 'AccessControlEvent',
  level: 'error',
  description: 'A request failed SignedPolicy verification.',
  params: verificationParams,
  summary: 'SignedPolicy verification failed. Url: {requestUrl}, Remote: {remoteAddress}, Error: {errorMessage}',
});

export const VerifyingAdmissionWebhooksFailed = defineOmeEvent({
  name: 'VerifyingAdmissionWebhooksFailed',
  category: 'AccessControlEvent',
  level: 'error',
  description: 'A request failed AdmissionWebhooks verification. The snapshot holds the webhook response body when there was one.',
  params: verificationParams,
  snapshot: true,
  summary: 'AdmissionWebhooks verification failed. Url: {requestUrl}, Remote: {remoteAddress}, Error: {errorMessage}',
});

export const apiEvents = [
  RestApiRequested,
  RestApiResponded,
  VerifyingSignedPolicyFailed,
  VerifyingAdmissionWebhooksFailed,
] as const;
