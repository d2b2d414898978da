import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { once } from 'node:events';
import { CLI_ENTRY } from '../../bench/cli-entry.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Starts `herald serve` as operators do, with ports chosen by the OS. */
async function startServe(t: { after(fn: () => void): void }, extraYaml = '') {
  const dir = await mkdtemp(join(tmpdir(), 'herald-serve-'));
  const config = join(dir, 'herald.yaml');
  await writeFile(config, [
    `data_dir: ${join(dir, 'herald-data')}`,
    'mi:\n  listen: 127.0.0.1:0',
    'hep:\n  listen: 127.0.0.1:0',
    'sip:\n  listen: 127.0.0.1:0',
    'ingest:\n  http:\n    listen: 127.0.0.1:0\n  opensips:\n    listen: 127.0.0.1:0',
    extraYaml,
  ].join('\n'));
  const child = spawn(process.execPath, [...CLI_ENTRY, 'serve', '--config', config], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HERALD_CONFIG: '' },
  });
  t.after(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (stdout.includes('herald ready')) resolve(); });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  await ready;
  return { child, dir, output: () => stdout, errors: () => stderr };
}

test('herald serve creates its data dir, announces what it opened, and exits 0 on SIGTERM after flushing', async (t) => {
  const serve = await startServe(t);
  const dataDir = join(serve.dir, 'herald-data');
  assert.ok((await stat(dataDir)).isDirectory());
  assert.match(serve.output(), new RegExp(`data dir ${dataDir}`));
  assert.match(serve.output(), /subscriber jsonl:.*events\.log/);
  serve.child.kill('SIGTERM');
  const [code] = await once(serve.child, 'exit');
  assert.equal(code, 0, serve.errors());
  assert.match(serve.output(), /herald stopped/);
  // The core status change at start-up is an info-level event, so the default subscriber stored it.
  const log = await readFile(join(dataDir, 'events.log'), 'utf8');
  assert.match(log, /"type":"E_CORE_SR_STATUS_CHANGED"/);
  // ... and the default event store, so `herald search` works out of the box.
  assert.match(serve.output(), /subscriber sqlite:.*events\.db/);
  const config = join(serve.dir, 'herald.yaml');
  const found = await herald(['search', '--config', config, '--json', 'event=E_CORE_SR_STATUS_CHANGED AND level>=info']);
  assert.equal(found.code, 0, found.stderr);
  const events = JSON.parse(found.stdout) as Array<{ id: string; type: string; params: { group: string } }>;
  assert.ok(events.length >= 1);
  assert.ok(events.every((event) => event.type === 'E_CORE_SR_STATUS_CHANGED' && /^[0-9a-f-]{36}$/.test(event.id)));
  const table = await herald(['search', '--config', config, '--since', '1h', 'event=E_CORE_*']);
  assert.match(table.stdout, /^TIME +LEVEL +EVENT/);
  assert.equal((await herald(['search', '--config', config, 'level>>info'])).code, 2);
  assert.equal((await herald(['search', '--store', `sqlite:${join(serve.dir, 'none.db')}`])).code, 1);
});

/** Runs the CLI to completion. */
async function herald(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CLI_ENTRY, ...args], { cwd: ROOT, env: { ...process.env, HERALD_CONFIG: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout, stderr };
}

test('a bad config stops serve with exit 2 and names every bad key', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-serve-bad-'));
  const config = join(dir, 'herald.yaml');
  await writeFile(config, 'mi:\n  listen: 12\n  bogus: 1\n');
  const child = spawn(process.execPath, [...CLI_ENTRY, 'serve', '--config', config], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(stderr, /mi\.listen/);
  assert.match(stderr, /mi\.bogus/);
});
