import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paramOrigin } from '../../src/events/catalogue-docs.js';
import { defineEvent, type EventDef } from '../../src/events/define.js';
import { renderSummary } from '../../src/events/event.js';
import { createDefaultCatalogue, PACKS } from '../../src/events/packs/index.js';
import { ABNORMAL_STREAM_CAUSES } from '../../src/events/packs/ovenmediaengine.js';
import { param } from '../../src/events/params.js';

const catalogue = createDefaultCatalogue();

function mustGet(name: string): EventDef {
  const def = catalogue.get(name);
  assert.ok(def, `${name} is missing from the catalogue`);
  return def;
}

// Copied from /work/shared/seeds/opensips-core-events.txt: the exact OpenSIPS param names.
const CORE_SEED: Record<string, readonly string[]> = {
  E_CORE_THRESHOLD: ['source', 'time', 'extra'],
  E_CORE_PKG_THRESHOLD: ['usage', 'threshold', 'used', 'size', 'pid'],
  E_CORE_SHM_THRESHOLD: ['usage', 'threshold', 'used', 'size'],
  E_CORE_PROC_AUTO_SCALE: ['group_type', 'group_filter', 'group_load', 'scale', 'process_id', 'pid'],
  E_CORE_TCP_DISCONNECT: ['src_ip', 'src_port', 'dst_ip', 'dst_port', 'proto'],
  E_CORE_SR_STATUS_CHANGED: ['group', 'identifier', 'status', 'details', 'old_status'],
  E_CORE_LOG: ['time', 'pid', 'level', 'module', 'function', 'prefix', 'message'],
  E_FLATSTORE_ROTATION: ['timestamp', 'reason', 'filename', 'old_filename'],
};

// Copied from /work/shared/seeds/dovecot-events.txt: every event with the fields the list gives it
// ("fields from X" / "same fields as X" expanded), and its Dovecot category.
const AUTH_CLIENT_LOOKUP = ['service', 'local_ip', 'local_port', 'remote_ip', 'remote_port', 'user'];
const DOVECOT_SEED: Record<string, { category: string; fields: readonly string[] }> = {
  auth_request_finished: { category: 'auth', fields: ['user', 'original_username', 'translated_username', 'login_user', 'master_user', 'error', 'successful', 'transport', 'mechanism', 'credentials_scheme', 'policy_penalty', 'policy_result'] },
  auth_passdb_request_started: { category: 'auth', fields: ['passdb_name', 'passdb'] },
  auth_passdb_request_finished: { category: 'auth', fields: ['passdb_name', 'passdb', 'user', 'master_user', 'username', 'domain', 'result'] },
  auth_userdb_request_started: { category: 'auth', fields: ['userdb_name', 'userdb'] },
  auth_userdb_request_finished: { category: 'auth', fields: ['userdb_name', 'userdb', 'user', 'master_user', 'username', 'domain', 'result'] },
  auth_policy_request_finished: { category: 'auth', fields: ['mode', 'policy_response'] },
  auth_client_request_started: { category: 'auth-client', fields: ['id'] },
  auth_client_request_continue: { category: 'auth-client', fields: ['id'] },
  auth_client_request_finished: { category: 'auth-client', fields: ['id', 'error'] },
  auth_client_request_challenged: { category: 'auth-client', fields: ['id'] },
  auth_client_userdb_lookup_started: { category: 'auth-client', fields: AUTH_CLIENT_LOOKUP },
  auth_client_userdb_lookup_finished: { category: 'auth-client', fields: [...AUTH_CLIENT_LOOKUP, 'error'] },
  auth_client_passdb_lookup_started: { category: 'auth-client', fields: AUTH_CLIENT_LOOKUP },
  auth_client_passdb_lookup_finished: { category: 'auth-client', fields: [...AUTH_CLIENT_LOOKUP, 'error'] },
  auth_client_userdb_list_started: { category: 'auth-client', fields: AUTH_CLIENT_LOOKUP },
  auth_client_userdb_list_finished: { category: 'auth-client', fields: [...AUTH_CLIENT_LOOKUP, 'error'] },
  auth_client_cache_flush_started: { category: 'auth-client', fields: AUTH_CLIENT_LOOKUP },
  auth_client_cache_flush_finished: { category: 'auth-client', fields: [...AUTH_CLIENT_LOOKUP, 'error'] },
  client_connection_connected: { category: 'connection', fields: ['client_ip', 'client_port', 'ip', 'port'] },
  client_connection_disconnected: { category: 'connection', fields: ['client_ip', 'client_port', 'ip', 'port', 'bytes_in', 'bytes_out', 'reason'] },
  server_connection_connected: { category: 'connection', fields: ['client_ip', 'client_port', 'ip', 'port', 'bytes_in', 'bytes_out'] },
  server_connection_disconnected: { category: 'connection', fields: ['client_ip', 'client_port', 'ip', 'port', 'bytes_in', 'bytes_out', 'reason'] },
  http_request_finished: { category: 'http-client', fields: ['status_code', 'attempts', 'redirects', 'bytes_in', 'bytes_out'] },
  http_request_redirected: { category: 'http-client', fields: ['status_code', 'attempts', 'redirects', 'bytes_in', 'bytes_out'] },
  http_request_retried: { category: 'http-client', fields: ['status_code', 'attempts', 'redirects', 'bytes_in', 'bytes_out'] },
  imap_command_finished: { category: 'imap', fields: ['tag', 'name', 'args', 'human_args', 'tagged_reply_state', 'tagged_reply', 'last_run_time', 'running_usecs', 'lock_wait_usecs', 'bytes_in', 'bytes_out'] },
  dns_worker_request_finished: { category: 'dns-worker', fields: ['error', 'error_code'] },
  dns_request_finished: { category: 'dns', fields: ['error', 'error_code'] },
  dns_worker_request_started: { category: 'dns-worker', fields: [] },
  dns_request_started: { category: 'dns', fields: [] },
  sql_query_finished: { category: 'sql', fields: ['error', 'error_code', 'query_first_word'] },
  sql_transaction_finished: { category: 'sql', fields: ['error', 'error_code'] },
  sql_connection_finished: { category: 'sql', fields: [] },
  // Not in the seed: sent by real Dovecot 2.3.19 (/work/shared/fixtures/dovecot-json, issue 15).
  mail_user_session_finished: {
    category: 'storage',
    fields: ['user', 'utime', 'stime', 'minor_faults', 'major_faults', 'vol_cs', 'invol_cs', 'rss', 'vsz', 'rchar', 'wchar', 'syscr', 'syscw'],
  },
};

// Copied from /work/shared/seeds/ovenmediaengine-event-log.txt: type → [category, level, snapshot, cause].
const OME_SEED: Record<string, readonly [string, string, boolean, string | undefined]> = {
  ServerStarted: ['ServerEvent', 'info', true, undefined],
  InternalQueueCongestion: ['ServerEvent', 'info', false, undefined],
  HostCreated: ['HostEvent', 'info', true, undefined],
  HostDeleted: ['HostEvent', 'info', false, undefined],
  AppCreated: ['AppEvent', 'info', true, undefined],
  AppDeleted: ['AppEvent', 'info', false, undefined],
  StreamCreated: ['StreamEvent', 'info', false, undefined],
  StreamPrepared: ['StreamEvent', 'info', true, undefined],
  StreamDeleted: ['StreamEvent', 'info', false, undefined],
  StreamCreationFailed: ['StreamEvent', 'error', false, 'DuplicatedStreamName'],
  AbnormalStreamDetected: ['StreamEvent', 'warning', true, undefined],
  ScheduledChannelCreated: ['StreamEvent', 'info', true, undefined],
  ScheduledChannelUpdated: ['StreamEvent', 'info', true, undefined],
  ScheduledChannelDeleted: ['StreamEvent', 'info', false, undefined],
  ScheduledChannelItemChanged: ['StreamEvent', 'info', false, undefined],
  ScheduledChannelPlaybackError: ['StreamEvent', 'warning', false, 'FailedToPopPacket'],
  MultiplexChannelCreated: ['StreamEvent', 'info', true, undefined],
  MultiplexChannelUpdated: ['StreamEvent', 'info', true, undefined],
  MultiplexChannelDeleted: ['StreamEvent', 'info', false, undefined],
  RecordingStarted: ['StreamEvent', 'info', true, undefined],
  RecordingStopped: ['StreamEvent', 'info', true, undefined],
  PushPublishingStarted: ['StreamEvent', 'info', true, undefined],
  PushPublishingStopped: ['StreamEvent', 'info', true, undefined],
  HLSDumpStarted: ['StreamEvent', 'info', true, undefined],
  HLSDumpStopped: ['StreamEvent', 'info', true, undefined],
  RestApiRequested: ['RestApiEvent', 'info', true, undefined],
  RestApiResponded: ['RestApiEvent', 'info', true, undefined],
  VerifyingSignedPolicyFailed: ['AccessControlEvent', 'error', false, undefined],
  VerifyingAdmissionWebhooksFailed: ['AccessControlEvent', 'error', true, undefined],
};

test('core has every OpenSIPS core event with the seed param names, in order', () => {
  for (const [name, params] of Object.entries(CORE_SEED)) {
    const def = mustGet(name);
    assert.equal(def.pack, 'core');
    assert.deepEqual(def.paramNames, params, name);
  }
  assert.equal(Object.keys(CORE_SEED).filter((name) => name.startsWith('E_CORE_')).length, 7);
});

test('dovecot has every seed event, in its category, with exactly the seed fields (plus duration on timed _finished)', () => {
  assert.deepEqual(PACKS.dovecot.map((def) => def.name).sort(), Object.keys(DOVECOT_SEED).sort());
  for (const [name, seed] of Object.entries(DOVECOT_SEED)) {
    const def = mustGet(name);
    assert.equal(def.pack, 'dovecot', name);
    assert.equal(def.category, seed.category, name);
    const expected = def.name.endsWith('_finished') && def.pairedWith !== undefined ? [...seed.fields, 'duration'] : seed.fields;
    assert.deepEqual([...def.paramNames].sort(), [...expected].sort(), name);
  }
});

test('imap_command_finished has exactly the seed fields, in seed order, with Dovecot types', () => {
  const def = mustGet('imap_command_finished');
  assert.deepEqual(def.paramNames, [
    'tag', 'name', 'args', 'human_args', 'tagged_reply_state', 'tagged_reply',
    'last_run_time', 'running_usecs', 'lock_wait_usecs', 'bytes_in', 'bytes_out',
  ]);
  assert.equal(def.params.last_run_time.kind, 'timestamp');
  assert.equal(def.params.running_usecs.kind, 'duration');
  assert.equal(def.params.lock_wait_usecs.kind, 'duration');
  assert.equal(def.params.bytes_in.kind, 'int');
  assert.equal(def.level, 'info');
});

test('dovecot field types follow the Dovecot naming rules, and failure-only fields are optional', () => {
  for (const def of PACKS.dovecot) {
    for (const name of def.paramNames) {
      const spec = def.params[name];
      const where = `${def.name}.${name}`;
      if (name.endsWith('_usecs') || name === 'duration') assert.equal(spec.kind, 'duration', where);
      if (name.endsWith('_time')) assert.equal(spec.kind, 'timestamp', where);
      if (name === 'ip' || name.endsWith('_ip')) assert.equal(spec.kind, 'ip', where);
      if (name === 'port' || name.endsWith('_port')) assert.equal(spec.kind, 'port', where);
      if (name.startsWith('bytes_')) assert.equal(spec.kind, 'int', where);
      if (name === 'error' || name === 'error_code') assert.equal(spec.isOptional, true, where);
    }
  }
});

test('dovecot levels: _started and intermediate events are debug, _finished/_connected/_disconnected info', () => {
  for (const def of PACKS.dovecot) {
    const completes = /_(finished|connected|disconnected)$/.test(def.name);
    assert.equal(def.level, completes ? 'info' : 'debug', def.name);
  }
});

test('ovenmediaengine has every seed type with its category, level, snapshot and cause', () => {
  assert.deepEqual(PACKS.ovenmediaengine.map((def) => def.name).sort(), Object.keys(OME_SEED).sort());
  for (const [name, [category, level, snapshot, cause]] of Object.entries(OME_SEED)) {
    const def = mustGet(name);
    assert.deepEqual([def.pack, def.category, def.level, def.snapshot, def.cause], ['ovenmediaengine', category, level, snapshot, cause], name);
  }
  const abnormal = mustGet('AbnormalStreamDetected');
  for (const cause of ABNORMAL_STREAM_CAUSES) assert.match(abnormal.description, new RegExp(cause), cause);
});

test('OME stream events carry the names behind sourceId, and seed summaries render as OME writes them', () => {
  const created = mustGet('StreamCreated');
  for (const name of ['vhost', 'app', 'stream']) assert.ok(created.paramNames.includes(name), name);
  assert.equal(
    renderSummary(created.summary, { streamId: 103, streamType: 'Rtmp', sourceUrl: 'TCP://172.17.0.1:44004' }),
    'Stream created. Id: 103, StreamType: Rtmp, SourceUrl: TCP://172.17.0.1:44004',
  );
  const push = { pushId: 'JwW9AM', protocol: 'rtmp', url: 'rtmp://192.168.0.234:52935/app/pushedRtmp', streamKey: '' };
  assert.equal(
    renderSummary(mustGet('PushPublishingStarted').summary, push),
    'PushPublishing started. Id: JwW9AM, Protocol: rtmp, Url: rtmp://192.168.0.234:52935/app/pushedRtmp, StreamKey: ',
  );
});

test('a child includes its parent params; a redeclared param replaces the parent type and description', () => {
  const connected = mustGet('server_connection_connected');
  const disconnected = mustGet('server_connection_disconnected');
  assert.equal(disconnected.parent, connected);
  for (const name of connected.paramNames) assert.ok(disconnected.paramNames.includes(name), name);
  assert.equal(disconnected.params.client_ip, connected.params.client_ip);
  assert.notEqual(disconnected.params.bytes_in.description, connected.params.bytes_in.description);
  assert.equal(paramOrigin(disconnected, 'client_ip'), connected);
  assert.equal(paramOrigin(disconnected, 'bytes_in'), disconnected);

  const child = defineEvent({
    name: 'test_override_child', pack: 'test', category: 't', level: 'info', description: 'child',
    parent: connected, params: { port: param.string('a service name now') },
  });
  assert.equal(child.params.port.kind, 'string');
  assert.equal(child.params.port.description, 'a service name now');
  assert.equal(connected.params.port.kind, 'port', 'the parent is unchanged');
  assert.deepEqual(child.paramNames, connected.paramNames, 'an override keeps the catalogue order');
});

test('every _started has its _finished and vice versa, linked both ways', () => {
  for (const def of catalogue.list()) {
    if (def.name.endsWith('_started')) {
      const finished = mustGet(def.name.replace(/_started$/, '_finished'));
      assert.equal(def.pairedWith, finished.name, def.name);
      assert.equal(finished.pairedWith, def.name, finished.name);
      assert.equal(finished.parent, def, `${finished.name} inherits from ${def.name}`);
      assert.equal(finished.params.duration?.kind, 'duration', finished.name);
    }
    if (def.name.endsWith('_finished') && def.pairedWith !== undefined) {
      assert.equal(def.pairedWith, def.name.replace(/_finished$/, '_started'), def.name);
      assert.ok(catalogue.has(def.pairedWith), def.pairedWith);
    }
    if (def.pairedWith !== undefined) {
      assert.equal(mustGet(def.pairedWith).pairedWith, def.name, `${def.pairedWith} links back to ${def.name}`);
    }
  }
});

test('finished events the seed lists without a start are not paired', () => {
  for (const name of ['auth_request_finished', 'auth_policy_request_finished', 'http_request_finished', 'imap_command_finished', 'sql_query_finished']) {
    assert.equal(mustGet(name).pairedWith, undefined, name);
  }
});
