import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { parseAutoScaleProfile } from '../../src/process/autoscale/profile.js';
import { SipParsePool, parseSipSummaries } from '../../src/trace/sip-pool/sip-parse-pool.js';
import { WorkerPool } from '../../src/process/autoscale/worker-pool.js';
import { AUTO_SCALING_GROUP } from '../../src/process/autoscale/pool-scaling.js';
import { StatusRegistry } from '../../src/runtime/status/registry.js';
import { testBus } from '../helpers/bus.js';
import { collect, until } from './helpers.js';

const BUSY_TASK = new URL('./fixtures/busy-task.ts', import.meta.url);

test('under load the pool scales up to N, and back down to M when idle, raising E_CORE_PROC_AUTO_SCALE', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_PROC_AUTO_SCALE' });
  const status = new StatusRegistry({ bus });
  // 30 ms cycles; up after 2 busy cycles of 3; down after 2 idle cycles, once the 20-cycle hold-off has passed.
  const profile = parseAutoScaleProfile('scale up to 3 on 50% for 2 cycles within 3 scale down to 1 on 20% for 2 cycles');
  const pool = new WorkerPool({ taskModule: BUSY_TASK, name: 'busy', filter: 'test', scaling: { profile, cycleMs: 30 }, bus, status });
  t.after(() => pool.close());
  assert.equal(pool.size, 1);

  // Keep more tasks queued than threads, so every thread stays busy, until two scale-ups happened.
  let loading = true;
  const load = (async () => {
    while (loading) await Promise.all(Array.from({ length: 6 }, () => pool.run({ spinMs: 15 })));
  })();
  const ups = await until('two scale-ups', () => {
    const found = store.events.filter((e) => e.params.scale === 'up');
    return found.length >= 2 ? found : undefined;
  }, 20_000);
  loading = false;
  await load;
  assert.equal(pool.size, 3);

  const downs = await until('two scale-downs', () => {
    const found = store.events.filter((e) => e.params.scale === 'down');
    return found.length >= 2 ? found : undefined;
  }, 20_000);
  await until('threads retired', () => (pool.size === 1 ? true : undefined));

  for (const event of [...ups, ...downs]) {
    assert.equal(event.params.group_type, 'busy');
    assert.equal(event.params.group_filter, 'test');
    assert.equal(event.params.pid, process.pid);
    assert.equal(typeof event.params.process_id, 'number');
  }
  for (const event of ups) assert.ok((event.params.group_load as number) > 50, `scaled up at ${String(event.params.group_load)}%`);
  for (const event of downs) assert.ok((event.params.group_load as number) < 20, `scaled down at ${String(event.params.group_load)}%`);
  const upIds = ups.map((e) => e.params.process_id);
  assert.equal(new Set(upIds).size, 2, 'each scale-up names a new thread');
  assert.deepEqual(downs.map((e) => e.params.process_id).sort(), [...upIds].sort(), 'the threads added are the ones retired');
  assert.equal(store.events.filter((e) => e.params.scale === 'up').length, 2, 'never above N');

  const reports = status.get(AUTO_SCALING_GROUP, 'busy').reports.map((r) => r.log);
  assert.equal(reports.length, 4);
  assert.match(reports[0], /^scaled up \(worker \d+\) at \d+% load: 2 workers$/);
  assert.match(reports[3], /^scaled down \(worker \d+\) at \d+% load: 1 workers$/);
  assert.equal((await pool.run<number>({ spinMs: 1 })), 1, 'the pool still works after scaling down');
});

test('a task that throws rejects with its error; a thread that dies is replaced', async (t) => {
  const pool = new WorkerPool({ taskModule: BUSY_TASK, workers: 1 });
  t.after(() => pool.close());
  await assert.rejects(pool.run({ fail: 'bad input' }), { name: 'TypeError', message: 'bad input' });
  await assert.rejects(pool.run({ exit: true }), /exited with code 3/);
  assert.equal(await pool.run<number>({ spinMs: 2 }), 2);
  assert.equal(pool.size, 1);
});

test('close rejects queued tasks, lets running ones finish, and refuses new ones', async () => {
  const pool = new WorkerPool({ taskModule: BUSY_TASK, workers: 1 });
  const running = pool.run<number>({ spinMs: 50 });
  const queued = pool.run({ spinMs: 1 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  const closing = pool.close();
  await assert.rejects(queued, /closed/);
  assert.equal(await running, 50);
  await closing;
  await assert.rejects(pool.run({}), { code: 'HERALD_ERR_LIMIT' });
});

test('the SIP parse pool gives the same summaries as parsing inline, in input order', async (t) => {
  const dir = new URL('../fixtures/rawsip/', import.meta.url);
  const messages = readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(new URL(f, dir)));
  const pool = new SipParsePool({ workers: 2 });
  t.after(() => pool.close());
  const [a, b] = await Promise.all([pool.parse(messages), pool.parse([...messages].reverse())]);
  assert.deepEqual(a, parseSipSummaries(messages));
  assert.deepEqual(b, parseSipSummaries([...messages].reverse()));
  assert.ok(a.some((s) => s.ok && s.kind === 'request' && s.method === 'INVITE' && s.callId.length > 0));
  assert.deepEqual(await pool.parse([Buffer.from('not sip at all')]), [{
    ok: false, error: 'not_sip', errorOffset: 0, errorMessage: 'first line is not a SIP request or status line', errorHeader: '', kind: '', method: '', status: 0, requestUri: '', callId: '',
    cseqNumber: 0, cseqMethod: '', fromUser: '', fromTag: '', toUser: '', toTag: '', viaBranch: '',
  }]);
});
