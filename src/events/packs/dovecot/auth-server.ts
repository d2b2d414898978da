import { param } from '../../params.js';
import { defineDovecotEvent, defineDovecotOperation } from './operation.js';

/**
 * Authentication Server events (Dovecot ≥ 2.3.6), raised by the auth process.
 * Dovecot category `auth`; the auth process's events also carry `service:auth`.
 */
const CATEGORY = 'auth';
const ALSO = 'Dovecot categories: auth, service:auth.';

export const auth_request_finished = defineDovecotEvent({
  name: 'auth_request_finished',
  category: CATEGORY,
  level: 'info',
  description: `An authentication request finished, successfully or not; the usual event for tracking login attempts. ${ALSO}`,
  params: {
    user: param.string('Full username.'),
    original_username: param.string('The username exactly as the client sent it.'),
    translated_username: param.string('The username after auth_username_translation.'),
    login_user: param.string('For a master-user login, the user being logged in as.').optional(),
    master_user: param.string('For a master-user login, the master username.').optional(),
    error: param.string('Set only when the request failed.').optional(),
    successful: param.string('"yes", set only when the request succeeded.').optional(),
    transport: param.string('Transport security: insecure, trusted or TLS.'),
    mechanism: param.string('The SASL mechanism used, e.g. PLAIN.'),
    credentials_scheme: param.string('The credentials scheme looked up (SHA256-CRYPT, PLAIN, ...), when a credentials lookup was made.').optional(),
    policy_penalty: param.int('Penalty added by the policy server, in seconds; set only when a penalty was applied.').optional(),
    policy_result: param.string('The policy server verdict: ok, delayed or refused; set only when a policy check ran.').optional(),
  },
});

const passdb = defineDovecotOperation({
  name: 'auth_passdb_request',
  category: CATEGORY,
  startedDescription: `Processing of one passdb block began. Useful for debugging the authentication flow. ${ALSO}`,
  finishedDescription: `Processing of one passdb block ended. Useful for debugging the authentication flow. ${ALSO}`,
  params: {
    passdb_name: param.string('The passdb name (passdb { name }), else its driver.'),
    passdb: param.string('The passdb driver.'),
  },
  finishedParams: {
    user: param.string('Full username.'),
    master_user: param.string('For a master-user login, the master username.').optional(),
    username: param.string('The username without the domain.'),
    domain: param.string('The domain, when the username has one.').optional(),
    result: param.string('The passdb result: ok, password_mismatch, user_unknown, pass_expired, user_disabled, scheme_not_available, internal_failure or next.'),
  },
});
export const auth_passdb_request_started = passdb.started;
export const auth_passdb_request_finished = passdb.finished;

const userdb = defineDovecotOperation({
  name: 'auth_userdb_request',
  category: CATEGORY,
  startedDescription: `Processing of one userdb block began. Useful for debugging the authentication flow. ${ALSO}`,
  finishedDescription: `Processing of one userdb block ended. Useful for debugging the authentication flow. ${ALSO}`,
  params: {
    userdb_name: param.string('The userdb name (userdb { name }), else its driver.'),
    userdb: param.string('The userdb driver.'),
  },
  finishedParams: {
    user: param.string('Full username.'),
    master_user: param.string('For a master-user login, the master username.').optional(),
    username: param.string('The username without the domain.'),
    domain: param.string('The domain, when the username has one.').optional(),
    result: param.string('The userdb result: ok, user_unknown or internal_failure.'),
  },
});
export const auth_userdb_request_started = userdb.started;
export const auth_userdb_request_finished = userdb.finished;

export const auth_policy_request_finished = defineDovecotEvent({
  name: 'auth_policy_request_finished',
  category: CATEGORY,
  level: 'info',
  description: `An auth policy server request finished. Useful for debugging the authentication flow. ${ALSO}`,
  params: {
    mode: param.string('The policy request mode: allow or report.'),
    policy_response: param.int('The number the policy server returned.'),
  },
});

export const authServerEvents = [
  auth_request_finished,
  auth_passdb_request_started,
  auth_passdb_request_finished,
  auth_userdb_request_started,
  auth_userdb_request_finished,
  auth_policy_request_finished,
] as const;
