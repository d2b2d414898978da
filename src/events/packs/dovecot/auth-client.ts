import { param } from '../../params.js';
import { defineDovecotEvent, defineDovecotOperation } from './operation.js';

/**
 * Authentication Client events (Dovecot ≥ 2.3.6), raised by lib-auth in the
 * process asking for authentication (imap-login, lmtp, ...). Dovecot category
 * `auth-client`; the events also carry the client process's `service:<name>`.
 */
const CATEGORY = 'auth-client';
const ALSO = 'Dovecot categories: auth-client, service:<client service>.';

const requestId = param.int('The authentication request id.');

const request = defineDovecotOperation({
  name: 'auth_client_request',
  category: CATEGORY,
  startedDescription: `The authentication client started an authentication request. ${ALSO}`,
  finishedDescription: `The authentication client received the server's final answer, success or failure. ${ALSO}`,
  params: { id: requestId },
  finishedParams: { error: param.string('The failure reason; set only when authentication failed.').optional() },
});
export const auth_client_request_started = request.started;
export const auth_client_request_finished = request.finished;

export const auth_client_request_continue = defineDovecotEvent({
  name: 'auth_client_request_continue',
  category: CATEGORY,
  level: 'debug',
  description: `The authentication client continued SASL authentication by sending a response to the server. ${ALSO}`,
  params: { id: requestId },
});

export const auth_client_request_challenged = defineDovecotEvent({
  name: 'auth_client_request_challenged',
  category: CATEGORY,
  level: 'debug',
  description: `The authentication client received a SASL challenge from the server. ${ALSO}`,
  params: { id: requestId },
});

/** The fields every auth-client lookup, list and cache flush carries. */
const lookupParams = {
  service: param.string('The service asking: smtp, imap, lmtp, ...'),
  local_ip: param.ip('The local IP of the client connection.'),
  local_port: param.port('The local port of the client connection.'),
  remote_ip: param.ip('The remote IP of the client connection.'),
  remote_port: param.port('The remote port of the client connection.'),
  user: param.string('Full username.'),
};
const lookupError = { error: param.string('The error; set only when the operation failed.').optional() };

function clientOperation<N extends string>(name: N, what: string) {
  return defineDovecotOperation({
    name,
    category: CATEGORY,
    startedDescription: `The authentication client started ${what}. ${ALSO}`,
    finishedDescription: `The authentication client finished ${what}. ${ALSO}`,
    params: lookupParams,
    finishedParams: lookupError,
  });
}

const userdbLookup = clientOperation('auth_client_userdb_lookup', 'a userdb lookup');
export const auth_client_userdb_lookup_started = userdbLookup.started;
export const auth_client_userdb_lookup_finished = userdbLookup.finished;

const passdbLookup = clientOperation('auth_client_passdb_lookup', 'a passdb lookup');
export const auth_client_passdb_lookup_started = passdbLookup.started;
export const auth_client_passdb_lookup_finished = passdbLookup.finished;

const userdbList = clientOperation('auth_client_userdb_list', 'a userdb iteration');
export const auth_client_userdb_list_started = userdbList.started;
export const auth_client_userdb_list_finished = userdbList.finished;

const cacheFlush = clientOperation('auth_client_cache_flush', 'an auth cache flush');
export const auth_client_cache_flush_started = cacheFlush.started;
export const auth_client_cache_flush_finished = cacheFlush.finished;

export const authClientEvents = [
  auth_client_request_started,
  auth_client_request_continue,
  auth_client_request_challenged,
  auth_client_request_finished,
  auth_client_userdb_lookup_started,
  auth_client_userdb_lookup_finished,
  auth_client_passdb_lookup_started,
  auth_client_passdb_lookup_finished,
  auth_client_userdb_list_started,
  auth_client_userdb_list_finished,
  auth_client_cache_flush_started,
  auth_client_cache_flush_finished,
] as const;
