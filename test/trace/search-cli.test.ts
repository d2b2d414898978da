import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SearchHit } from '../../src/trace/search.js';
import { sendUdp, startCollector } from './collector-daemon.js';
import { loadFixtures, udpSink, until } from './tracer-fixtures.js';
import { CLI_ENTRY } from '../../bench/cli-entry.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI in a child process (asynchronously: the daemon under test lives in this one). */
function herald(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...CLI_ENTRY, ...args], { cwd: ROOT, env: { ...process.env, HERALD_CONFIG: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

const HEP = loadFixtures('hep');
const CALL = '1-19411@127.0.0.1';

test('herald trace show draws a stored call as a ladder in causal order: the 200 OK before the ACK', async (t) => {
  const d = await startCollector(t);
  await sendUdp(d.hep.port, HEP.map((f) => f.bytes));
  await until(async () => (await d.store.count()) === HEP.length);

  const shown = await herald('trace', 'show', CALL, '--config', d.configPath);
  assert.equal(shown.code, 0, shown.stderr);
  const arrows = shown.stdout.split('\n').filter((line) => /^\+\d/.test(line)).map((line) => {
    const arrow = /\|(<?-[^|]*)\|/.exec(line)?.[1] ?? '';
    const label = arrow.replace(/^<?-+/, '').replace(/-+>?$/, '');
    return `${label} ${arrow.endsWith('>') ? '→' : '←'}`;
  });
  assert.deepEqual(arrows, [
    'INVITE →', '100 trying -- your call… ←', 'INVITE →', '180 Ringing ←', '180 Ringing ←', '200 OK ←', '200 OK ←', 'ACK →', 'ACK →',
  ]);
  const lines = shown.stdout.split('\n');
  const okToCaller = lines.findIndex((l) => l.startsWith('+0.002918'));
  const callerAck = lines.findIndex((l) => l.startsWith('+0.002649'));
  assert.ok(okToCaller > 0 && callerAck > okToCaller, 'the ACK stamped 269 µs before the 200 OK is drawn after it');

  const json = await herald('trace', 'show', CALL, '--json', '--config', d.configPath);
  const view = JSON.parse(json.stdout) as { columns: string[]; entries: Array<{ label: string }>; messages: Array<{ msg: string }> };
  assert.deepEqual(view.columns, ['127.0.0.1:5080', '127.0.0.1:5060', '127.0.0.1:5070']);
  assert.equal(view.messages.length, 9);
  assert.match(view.messages[0].msg, /^INVITE sip:service@127\.0\.0\.1:5060 SIP\/2\.0\r\n/);
});

test('herald trace search filters the store directly; bad input is a usage error, an unknown call an error', async (t) => {
  const d = await startCollector(t);
  await sendUdp(d.hep.port, HEP.map((f) => f.bytes));
  await until(async () => (await d.store.count()) === HEP.length);
  const search = async (...args: string[]) => {
    const result = await herald('trace', 'search', '--json', '--config', d.configPath, ...args);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as SearchHit[];
  };
  assert.equal((await search('--callid', CALL)).length, 9);
  const oks = await search('--status', '2xx', '--ip', '127.0.0.1');
  assert.equal(oks.length, 6);
  assert.ok(oks.every((hit) => hit.status === '200' && hit.method === 'INVITE'));
  assert.equal((await search('--method', 'ack', '--limit', '2')).length, 2);
  assert.equal((await search('--since', '2026-11-22T03:13:05Z', '--until', '2026-11-22T03:13:06')).length, HEP.length);
  assert.equal((await search('--since', '1h')).length, 0, 'the fixtures were captured before the last hour');

  const table = await herald('trace', 'search', '--callid', CALL, '--config', d.configPath);
  assert.match(table.stdout.split('\n')[0], /^TIME +CALL-ID +METHOD +STATUS +FROM +TO +FROM-USER +TO-USER +TRACED$/);
  assert.equal((await herald('trace', 'search', '--status', '2', '--config', d.configPath)).code, 2);
  assert.equal((await herald('trace', 'search', '--since', 'yesterday-ish', '--config', d.configPath)).code, 2);
  const unknown = await herald('trace', 'show', 'no-such-call', '--config', d.configPath);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no messages stored for Call-ID no-such-call/);
  const missing = await herald('trace', 'search', '--store', `sqlite:${d.dir}/missing.db`);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No trace store at/);
});

test('herald trace status/off/on/start/stop drive the running tracer through the management interface', async (t) => {
  const d = await startCollector(t, { mi: { listen: '127.0.0.1:0' } });
  const url = (d.daemon.runtime.slots.get('mi.address') as { url: string }).url;
  const dataDir = join(d.dir, 'data'); // where the daemon wrote mi.token
  const status = await herald('trace', 'status', '--json', '--url', url, '--data-dir', dataDir);
  assert.equal(status.code, 0, status.stderr);
  assert.deepEqual(JSON.parse(status.stdout).ids.map((id: { id: string }) => id.id), ['default']);

  assert.equal((await herald('trace', 'off', '--url', url, '--data-dir', dataDir)).code, 0);
  await sendUdp(d.hep.port, [HEP[0].bytes]);
  await until(() => d.counters('hep').off === 1);

  assert.equal((await herald('trace', 'on', '--url', url, '--data-dir', dataDir)).code, 0);
  const sink = await udpSink();
  t.after(() => sink.close());
  const started = await herald('trace', 'start', 'sipp', `sip:127.0.0.1:${sink.port}`, '--filter', 'caller=sipp', '--url', url, '--data-dir', dataDir);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /sipp +on +caller=sipp +sip/);
  await sendUdp(d.hep.port, HEP.filter((f) => f.callId === CALL).map((f) => f.bytes));
  await sink.waitFor(9);
  assert.equal((await herald('trace', 'stop', 'sipp', '--url', url, '--data-dir', dataDir)).code, 0);
  const again = await herald('trace', 'stop', 'sipp', '--url', url, '--data-dir', dataDir);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /No trace id "sipp"/);
  await until(async () => (await d.store.count()) === 9);
});
