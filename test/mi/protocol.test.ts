import assert from 'node:assert/strict';
import test from 'node:test';
import { defineCommand } from '../../src/runtime/mi/command.js';
import { miCommandRegistry } from '../../src/runtime/mi/registry.js';
import { startTestDaemon, type RpcReply } from './helpers.js';

// JSON-RPC 2.0 over real HTTP against a real daemon: envelopes, batches, notifications, every error code.

test('a single call answers with the same id and a result', async (t) => {
  const d = await startTestDaemon(t);
  const reply = await (await d.post(JSON.stringify({ jsonrpc: '2.0', id: 'abc', method: 'version' }))).json() as RpcReply;
  assert.equal(reply.jsonrpc, '2.0');
  assert.equal(reply.id, 'abc');
  assert.match((reply.result as { Server: string }).Server, /^Herald /);
});

test('a batch answers every call that has an id, in order, and runs calls in order', async (t) => {
  const d = await startTestDaemon(t);
  const response = await d.post(JSON.stringify([
    { jsonrpc: '2.0', id: 1, method: 'event_subscribe', params: { socket: 'memory:batch', event: 'E_CORE_LOG' } },
    { jsonrpc: '2.0', method: 'raise_event', params: { event: 'E_CORE_LOG', params: logParams('batched') } },
    { jsonrpc: '2.0', id: 2, method: 'no_such_command' },
    { jsonrpc: '2.0', id: 3, method: 'subscribers_list', params: { event: 'E_CORE_LOG' } },
  ]));
  assert.equal(response.status, 200);
  const replies = await response.json() as RpcReply[];
  assert.deepEqual(replies.map((r) => r.id), [1, 2, 3]);
  assert.equal((replies[0].result as { action: string }).action, 'subscribed');
  assert.equal(replies[1].error?.code, -32601);
  const stats = await d.result<{ events: Record<string, { raised: number }> }>('get_statistics');
  assert.equal(stats.events.E_CORE_LOG.raised, 1, 'the notification in the batch ran after the subscribe');
});

test('a notification runs but gets no answer; an all-notification batch gets 204 and no body', async (t) => {
  const d = await startTestDaemon(t);
  const single = await d.post(JSON.stringify({ jsonrpc: '2.0', method: 'log_level', params: { level: 'debug' } }));
  assert.equal(single.status, 204);
  assert.equal(await single.text(), '');
  assert.equal(d.daemon.runtime.bus.logger.level, 'debug', 'the notification was executed');
  const batch = await d.post(JSON.stringify([
    { jsonrpc: '2.0', method: 'log_level', params: { level: 'warn' } },
    { jsonrpc: '2.0', method: 'no_such_command' },
  ]));
  assert.equal(batch.status, 204);
  assert.equal(await batch.text(), '');
  assert.equal(d.daemon.runtime.bus.logger.level, 'warn');
});

test('-32700 for a body that is not JSON', async (t) => {
  const d = await startTestDaemon(t);
  for (const body of ['{bad', '', '[1,', 'null null']) {
    const reply = await (await d.post(body)).json() as RpcReply;
    assert.equal(reply.error?.code, -32700, `body ${JSON.stringify(body)}`);
    assert.equal(reply.id, null);
  }
});

test('-32600 for requests that are not JSON-RPC 2.0 request objects', async (t) => {
  const d = await startTestDaemon(t);
  const cases: Array<[unknown, RegExp]> = [
    [42, /request object/],
    [[], /empty batch/],
    [{ id: 1, method: 'version' }, /"jsonrpc" must be "2.0"/],
    [{ jsonrpc: '1.0', id: 1, method: 'version' }, /"jsonrpc" must be "2.0"/],
    [{ jsonrpc: '2.0', id: 1 }, /"method"/],
    [{ jsonrpc: '2.0', id: 1, method: 7 }, /"method"/],
    [{ jsonrpc: '2.0', id: {}, method: 'version' }, /"id"/],
    [{ jsonrpc: '2.0', id: 1, method: 'version', params: 'x' }, /"params"/],
    [{ jsonrpc: '2.0', id: 1, method: 'version', extra: true }, /unknown member "extra"/],
  ];
  for (const [body, message] of cases) {
    const reply = await (await d.post(JSON.stringify(body))).json() as RpcReply;
    assert.equal(reply.error?.code, -32600, JSON.stringify(body));
    assert.match(reply.error?.message ?? '', message);
  }
  const batch = await (await d.post(JSON.stringify([1, { jsonrpc: '2.0', id: 9, method: 'version' }]))).json() as RpcReply[];
  assert.equal(batch.length, 2, 'an invalid entry in a batch gets its own error');
  assert.equal(batch[0].error?.code, -32600);
  assert.ok(batch[1].result !== undefined);
});

test('-32601 names the nearest commands', async (t) => {
  const d = await startTestDaemon(t);
  const reply = await d.call('evi:subscrib');
  assert.equal(reply.error?.code, -32601);
  const suggestions = (reply.error?.data as { suggestions: string[] }).suggestions;
  assert.equal(suggestions.length, 3);
  assert.equal(suggestions[0], 'evi:subscribe');
  assert.match(reply.error?.message ?? '', /evi:subscribe/);
  const typo = await d.call('subscriber_list');
  assert.equal((typo.error?.data as { suggestions: string[] }).suggestions[0], 'subscribers_list');
});

// Issue 12 point 10: the edit distance ran over a 1 MB method name and blocked the daemon for 2.9 s.
test('an unknown method longer than any real name gets no suggestion (bounded work) and is not echoed whole', async (t) => {
  const d = await startTestDaemon(t);
  const reply = await d.call('x'.repeat(500_000));
  assert.equal(reply.error?.code, -32601);
  assert.deepEqual((reply.error?.data as { suggestions: string[] }).suggestions, []);
  assert.ok((reply.error?.message.length ?? 0) < 300, `message of ${reply.error?.message.length} characters`);
  assert.match(reply.error?.message ?? '', /\(500000 characters\)/);
});

test('-32602 names the param and what was expected', async (t) => {
  const d = await startTestDaemon(t);
  const cases: Array<[string, unknown, RegExp]> = [
    ['event_subscribe', { event: 'E_CORE_LOG' }, /"socket" expected a string \(required\)/],
    ['event_subscribe', { socket: 'memory:x', event: 'E_CORE_LOG', expire: 'soon' }, /"expire" expected an integer/],
    ['event_subscribe', { socket: 'memory:x', event: 'E_CORE_LOG', expire: -1 }, /"expire" expected an integer ≥ 0/],
    ['event_subscribe', { socket: 'memory:x' }, /exactly one of "event" or "filter"/],
    ['event_subscribe', { socket: 'memory:x', event: 'E_CORE_LOG', filter: 'level>=info' }, /received both/],
    ['uptime', { verbose: true }, /"verbose" expected one of the known params|"verbose" expected no params/],
    ['log_level', { level: 'loud' }, /"level" expected one of trace, debug, info/],
    ['version', ['extra'], /at most 0|no params/],
    ['raise_event', { event: 'E_CORE_LOG', params: '[1]' }, /"params" expected an object/],
    ['raise_event', { event: 'E_CORE_LOG', params: { pid: 'one' } }, /param "pid" expected/],
  ];
  for (const [method, params, message] of cases) {
    const reply = await d.call(method, params);
    assert.equal(reply.error?.code, -32602, `${method} ${JSON.stringify(params)}: ${reply.error?.message}`);
    assert.match(reply.error?.message ?? '', message);
  }
});

test('positional params map onto the declared order', async (t) => {
  const d = await startTestDaemon(t);
  const reply = await d.call('event_subscribe', ['E_CORE_LOG', 'memory:positional', 30]);
  assert.deepEqual(reply.result, { action: 'subscribed', socket: 'memory:positional', event: 'E_CORE_LOG', expire: 30, ttl: 30 });
  const tooMany = await d.call('event_subscribe', ['E_CORE_LOG', 'memory:positional', 30, 'level>=info', 'at-most-once', 'extra']);
  assert.equal(tooMany.error?.code, -32602);
  assert.match(tooMany.error?.message ?? '', /at most 5 positional params \(event, socket, expire, filter, delivery\)/);
});

test('server errors: -32001 not found, -32003 bad value, -32000 failure, -32603 crash; the daemon keeps serving', async (t) => {
  const d = await startTestDaemon(t);
  const registry = miCommandRegistry(d.daemon.runtime.slots);
  registry.register(defineCommand({
    name: 'test_system_error', description: 'fails like I/O does', params: [],
    handler: () => { throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }); },
  }));
  registry.register(defineCommand({
    name: 'test_crash', description: 'a bug', params: [],
    handler: () => { throw new TypeError('x is not a function'); },
  }));
  const notFound = await d.call('sr_get_status', { group: 'nope' });
  assert.equal(notFound.error?.code, -32001);
  assert.match(notFound.error?.message ?? '', /Group not found: nope/);
  assert.equal((notFound.error?.data as { code: string }).code, 'HERALD_ERR_UNKNOWN_STATUS');
  const badSocket = await d.call('event_subscribe', { socket: 'nonsense', event: 'E_CORE_LOG' });
  assert.equal(badSocket.error?.code, -32003);
  assert.match(badSocket.error?.message ?? '', /transport:address/);
  const unknownTransport = await d.call('event_subscribe', { socket: 'pigeon:coop', event: 'E_CORE_LOG' });
  assert.equal(unknownTransport.error?.code, -32003);
  assert.match(unknownTransport.error?.message ?? '', /Unknown transport "pigeon"/);
  const failed = await d.call('test_system_error');
  assert.equal(failed.error?.code, -32000);
  assert.deepEqual(failed.error?.data, { code: 'EACCES' });
  const crashed = await d.call('test_crash');
  assert.equal(crashed.error?.code, -32603);
  assert.match(crashed.error?.message ?? '', /Internal error: x is not a function/);
  assert.ok((await d.call('version')).result !== undefined);
});

test('a command registered by a later service is callable and listed by which', async (t) => {
  const d = await startTestDaemon(t);
  miCommandRegistry(d.daemon.runtime.slots).register(defineCommand({
    name: 'test_echo', aliases: ['test:echo'], description: 'echoes', params: [{ name: 'text', type: 'string', required: true, description: 'what' }],
    handler: ({ text }) => ({ text }),
  }));
  assert.deepEqual((await d.call('test:echo', { text: 'hi' })).result, { text: 'hi' });
  const which = await d.result<Array<{ name: string }>>('which', { command: 'test:echo' });
  assert.deepEqual(which.map((entry) => entry.name), ['test_echo']);
});

function logParams(message: string) {
  return { time: '2026-11-22T05:21:46Z', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message };
}
