import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { runCli } from '../cli/mi-cli-helpers.js';
import { startTestDaemon } from '../mi/helpers.js';

const DEFINITIONS = [
  { name: 'imap_command', filter: 'event=imap_command_finished', fields: ['bytes_out'], group_by: ['name', 'running_usecs:exponential:1:3:10'] },
  { name: 'imap_by_reply', filter: 'event=imap_command_finished AND tagged_reply_state=NO', description: 'Refused IMAP commands.' },
];

function command(name: string, runningUsecs: number, state = 'OK') {
  return {
    tag: 'A1', name, args: '', human_args: '', tagged_reply_state: state, tagged_reply: `${state} done`, last_run_time: 1,
    running_usecs: runningUsecs, lock_wait_usecs: 0, bytes_in: 5, bytes_out: 100,
  };
}

function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

test('a daemon with metrics: stats_dump and GET /metrics (MI listener and scrape port) count the raised events; promtool accepts it', async (t) => {
  const d = await startTestDaemon(t, { extra: { metrics: { definitions: DEFINITIONS, listen: '127.0.0.1:0' } } });
  for (const [name, usecs, state] of [['SELECT', 50, 'OK'], ['SELECT', 500, 'OK'], ['LIST', 5, 'NO'], ['SELECT', 70, 'NO']] as const) {
    await d.result('raise_event', { event: 'imap_command_finished', params: command(name, usecs, state) });
  }
  await d.result('stats_add', { name: 'added_later', filter: 'event=imap_command_finished', group_by: ['tagged_reply_state'] });
  await d.result('raise_event', { event: 'imap_command_finished', params: command('NOOP', 1, 'OK') });

  const dump = await d.result<{ columns: string[]; rows: (string | number)[][] }>('stats_dump', { fields: 'count sum max' });
  const row = (name: string, field: string) => dump.rows.find((r) => r[0] === name && r[1] === field)?.slice(2);
  assert.deepEqual(row('imap_command', 'duration'), [5, 0, 0]);
  assert.deepEqual(row('imap_command_SELECT', 'running_usecs'), [3, 620, 500]);
  assert.deepEqual(row('imap_command_SELECT_running_usecs_11_100', 'bytes_out'), [2, 200, 100]);
  assert.deepEqual(row('imap_by_reply', 'duration'), [2, 0, 0]);
  assert.deepEqual(row('added_later_OK', 'duration'), [1, 0, 0]);

  const scrape = await fetch(`${d.url}/metrics`, { headers: d.auth });
  assert.equal(scrape.status, 200);
  assert.match(scrape.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await scrape.text();
  assert.equal(sample(text, 'herald_imap_command_total{name="SELECT"}'), 3);
  assert.equal(sample(text, 'herald_imap_command_running_usecs_bucket{name="SELECT",le="100"}'), 2);
  assert.equal(sample(text, 'herald_imap_command_running_usecs_count{name="LIST"}'), 1);
  assert.equal(sample(text, 'herald_imap_by_reply_total'), 2);
  assert.equal(sample(text, 'herald_events_raised_total{event="imap_command_finished"}'), 5);
  assert.equal((await fetch(`${d.url}/metrics`)).status, 401, 'the MI listener locks /metrics as it locks /mi');

  const port = d.announced.find((line) => line.startsWith('metrics '))?.slice('metrics '.length);
  assert.ok(port !== undefined, `the scrape port is announced: ${d.announced.join(' | ')}`);
  const scraped = await (await fetch(port)).text();
  assert.equal(sample(scraped, 'herald_imap_command_total{name="SELECT"}'), 3);
  assert.equal((await fetch(port.replace('/metrics', '/mi'), { method: 'POST' })).status, 404, 'the scrape port serves /metrics only');
  assert.equal((await fetch(port, { headers: { origin: 'http://evil.example' } })).status, 403);

  const cli = await runCli(['stats', 'dump', '--tsv', '--fields', 'count,sum'], d.cliEnv);
  assert.equal(cli.code, 0, cli.stderr);
  const lines = cli.stdout.trim().split('\n');
  assert.equal(lines[0], 'metric_name\tfield\tcount\tsum');
  assert.ok(lines.includes('imap_command_SELECT\trunning_usecs\t3\t620'), cli.stdout);
  const table = await runCli(['stats', 'dump'], d.cliEnv);
  assert.match(table.stdout, /^metric_name\s+field\s+count\s+sum\s+min\s+max\s+avg\s+median\s+stddev\s+%95$/m);

  // Reading resets nothing unless asked; reset is atomic with the read.
  const reset = await d.result<{ rows: (string | number)[][] }>('stats_dump', { reset: true, fields: 'count' });
  assert.equal(reset.rows.find((r) => r[0] === 'imap_command')?.[2], 5);
  const after = await d.result<{ rows: (string | number)[][] }>('stats_dump', { fields: 'count' });
  assert.equal(after.rows.find((r) => r[0] === 'imap_command')?.[2], 0);

  const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (promtool.error !== undefined) {
    if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error('promtool not installed (Debian package prometheus) (HERALD_REQUIRE_SERVICES=1)');
    t.diagnostic('promtool not installed: exposition not checked');
  } else assert.equal(promtool.status, 0, `${promtool.stdout}${promtool.stderr}`);
});

test('bad metric definitions are refused with the key path; MI stats_add names the param', async (t) => {
  await assert.rejects(
    startTestDaemon(t, { extra: { metrics: { definitions: [{ name: 'm', filter: 'event=x', group_by: ['d:exponential:1:2:3'] }] } } }),
    /metrics\.definitions\[0\]\.group_by\[0\].*base must be 2 or 10/,
  );
  const d = await startTestDaemon(t);
  const bad = await d.call('stats_add', { name: 'x y', filter: 'event=*' });
  assert.equal(bad.error?.code, -32602);
  assert.match(bad.error?.message ?? '', /"name"/);
  const duplicate = await d.call('stats_add', { name: 'events_raised', filter: 'event=*' });
  assert.match(duplicate.error?.message ?? '', /clash with Herald's own/);
  assert.deepEqual(await d.result('stats_remove', { name: 'nothing' }), { removed: false });
});
