import assert from 'node:assert/strict';
import { join } from 'node:path';
import test from 'node:test';
import { startTestDaemon } from '../mi/helpers.js';
import { closedPort, runCli } from './mi-cli-helpers.js';

test('herald mi COMMAND key=value prints the JSON result', async (t) => {
  const d = await startTestDaemon(t);
  const env = { HERALD_URL: d.url };
  const subscribed = await runCli(['mi', 'evi:subscribe', 'socket=memory:cli-mi', 'event=E_CORE_LOG', 'expire=60'], env);
  assert.equal(subscribed.code, 0, subscribed.stderr);
  assert.deepEqual(JSON.parse(subscribed.stdout), { action: 'subscribed', socket: 'memory:cli-mi', event: 'E_CORE_LOG', expire: 60, ttl: 60 });
  const raised = await runCli(['mi', 'raise_event', 'event=E_CORE_THRESHOLD', 'params:={"source":"dns","time":5,"extra":""}', '--url', d.url]);
  assert.equal(raised.code, 0, raised.stderr);
  assert.deepEqual(JSON.parse(raised.stdout), { event: 'E_CORE_THRESHOLD', subscribers: 0 });
});

test('exit 1 with the server\'s message when it answers with an error', async (t) => {
  const d = await startTestDaemon(t);
  const unknown = await runCli(['mi', 'evi:subscrib'], { HERALD_URL: d.url });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Method not found: "evi:subscrib"; nearest: evi:subscribe/);
  const invalid = await runCli(['raise', 'E_CORE_THRESHOLD', 'source=dns', 'time=soon', 'extra='], { HERALD_URL: d.url });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /param "time" expected/);
});

test('exit 2 on usage errors', async () => {
  const url = 'http://127.0.0.1:1';
  const cases = [
    ['mi'],
    ['mi', 'version', 'not-a-pair'],
    ['mi', 'version', 'x:={bad json'],
    ['subscribe', 'memory:x'],
    ['subscribe', 'memory:x', '--event', 'E_CORE_LOG', '--filter', 'level>=info'],
    ['subscribe', 'memory:x', '--event', 'E_CORE_LOG', '--expire', 'soon'],
    ['subscribers', '--no-such-option'],
    ['status', '--url', 'ftp://example.org'],
  ];
  const runs = await Promise.all(cases.map((args) => runCli([...args, ...(args.includes('--url') ? [] : ['--url', url])])));
  for (const [index, run] of runs.entries()) assert.equal(run.code, 2, `${cases[index].join(' ')}: ${run.stderr}`);
});

test('exit 3 when nothing listens, with a hint naming the URL tried', async () => {
  const port = await closedPort();
  const run = await runCli(['subscribers'], { HERALD_URL: `http://127.0.0.1:${port}` });
  assert.equal(run.code, 3);
  assert.match(run.stderr, new RegExp(`cannot connect to http://127\\.0\\.0\\.1:${port}/mi`));
  assert.match(run.stderr, /--url or HERALD_URL/);
});

test('--token and HERALD_TOKEN carry the bearer token; without it the 401 is explained', async (t) => {
  const token = 'cli-token-0123456789abcdef';
  const d = await startTestDaemon(t, { mi: { token } });
  const without = await runCli(['mi', 'version', '--url', d.url]);
  assert.equal(without.code, 1);
  assert.match(without.stderr, /Unauthorized.*give --token or set HERALD_TOKEN/);
  const withFlag = await runCli(['mi', 'version', '--url', d.url, '--token', token]);
  assert.equal(withFlag.code, 0, withFlag.stderr);
  const withEnv = await runCli(['status', '--json'], { HERALD_URL: d.url, HERALD_TOKEN: token });
  assert.equal(withEnv.code, 0, withEnv.stderr);
  assert.equal(JSON.parse(withEnv.stdout)[0].Name, 'core');
});

test('for a loopback daemon the CLI finds the generated token in <data_dir>/mi.token of HERALD_CONFIG', async (t) => {
  const d = await startTestDaemon(t, { mi: { require_token: true } });
  const config = join(d.dir, 'herald.yaml');
  const found = await runCli(['mi', 'version'], { HERALD_URL: d.url, HERALD_CONFIG: config });
  assert.equal(found.code, 0, found.stderr);
  const elsewhere = await runCli(['mi', 'version'], { HERALD_URL: d.url });
  assert.equal(elsewhere.code, 1, 'without the config the token file is not found');
});
