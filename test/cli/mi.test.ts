import assert from 'node:assert/strict';
import { join } from 'node:path';
import test from 'node:test';
import { startTestDaemon } from '../mi/helpers.js';
import { closedPort, runCli } from './mi-cli-helpers.js';

test('herald mi COMMAND key=value prints the JSON result', async (t) => {
  const d = await startTestDaemon(t);
  const env = d.cliEnv;
  const subscribed = await runCli(['mi', 'evi:subscribe', 'socket=memory:cli-mi', 'event=E_CORE_LOG', 'expire=60'], env);
  assert.equal(subscribed.code, 0, subscribed.stderr);
  assert.deepEqual(JSON.parse(subscribed.stdout), { action: 'subscribed', socket: 'memory:cli-mi', event: 'E_CORE_LOG', expire: 60, ttl: 60 });
  const raised = await runCli(['mi', 'raise_event', 'event=E_CORE_THRESHOLD', 'params:={"source":"dns","time":5,"extra":""}', '--url', d.url], { HERALD_CONFIG: d.configPath });
  assert.equal(raised.code, 0, raised.stderr);
  assert.deepEqual(JSON.parse(raised.stdout), { event: 'E_CORE_THRESHOLD', subscribers: 0 });
});

test('exit 1 with the server\'s message when it answers with an error', async (t) => {
  const d = await startTestDaemon(t);
  const unknown = await runCli(['mi', 'evi:subscrib'], d.cliEnv);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Method not found: "evi:subscrib"; nearest: evi:subscribe/);
  const invalid = await runCli(['raise', 'E_CORE_THRESHOLD', 'source=dns', 'time=soon', 'extra='], d.cliEnv);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /param "time" expected/);
});

test('exit 2 on usage errors', async () => {
  const url = 'http://127.0.0.1:1';
  const cases = [
    ['mi'],
    ['mi', 'version', 'key=value', 'positional'],
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

test('--token and HERALD_TOKEN carry the bearer token; without it the 401 says where the CLI looked', async (t) => {
  const token = 'cli-token-0123456789abcdef';
  const d = await startTestDaemon(t, { mi: { token } });
  const without = await runCli(['mi', 'version', '--url', d.url, '--data-dir', join(d.dir, 'nowhere')]);
  assert.equal(without.code, 1);
  assert.match(without.stderr, /Unauthorized.*no token file found; looked in .*nowhere\/mi\.token \(--data-dir\), .*herald-data\/mi\.token \(the working directory\)/);
  assert.match(without.stderr, /Give --token, set HERALD_TOKEN, or point --data-dir\/HERALD_DATA_DIR/);
  const wrong = await runCli(['mi', 'version', '--url', d.url, '--token', 'not-the-token-at-all']);
  assert.match(wrong.stderr, /wrong bearer token; the token came from --token/);
  const withFlag = await runCli(['mi', 'version', '--url', d.url, '--token', token]);
  assert.equal(withFlag.code, 0, withFlag.stderr);
  const withEnv = await runCli(['status', '--json'], { HERALD_URL: d.url, HERALD_TOKEN: token });
  assert.equal(withEnv.code, 0, withEnv.stderr);
  assert.equal(JSON.parse(withEnv.stdout)[0].Name, 'core');
});

// Issue 12 point 2: the token is on by default, so the CLI must find it by itself.
test('for a loopback daemon the CLI finds <data_dir>/mi.token through --data-dir, HERALD_DATA_DIR or HERALD_CONFIG', async (t) => {
  const d = await startTestDaemon(t);
  const dataDir = join(d.dir, 'data');
  const viaConfig = await runCli(['mi', 'version'], { HERALD_URL: d.url, HERALD_CONFIG: d.configPath });
  assert.equal(viaConfig.code, 0, viaConfig.stderr);
  const viaEnv = await runCli(['mi', 'version'], { HERALD_URL: d.url, HERALD_DATA_DIR: dataDir });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const viaFlag = await runCli(['mi', 'version', '--data-dir', dataDir], { HERALD_URL: d.url });
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  const elsewhere = await runCli(['mi', 'version'], { HERALD_URL: d.url });
  assert.equal(elsewhere.code, 1, 'without any of them the token file is not found');
  assert.match(elsewhere.stderr, /looked in .*herald-data\/mi\.token \(the working directory\)/);
});
