import assert from 'node:assert/strict';
import { once } from 'node:events';
import test from 'node:test';
import { startTestDaemon, type TestDaemon } from '../mi/helpers.js';
import { runCli, spawnCli } from './mi-cli-helpers.js';

const INFO = { event: 'E_CORE_LOG', params: { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'just info' } };
const warning = (source: string) => ({ event: 'E_CORE_THRESHOLD', params: { source, time: 250000, extra: 'example.org' } });

/** Starts `herald tail ARGS`, resolves once it is connected, and collects stdout lines. */
async function startTail(t: { after(fn: () => void): void }, d: TestDaemon, args: string[]) {
  const child = spawnCli(['tail', ...args], d.cliEnv);
  t.after(() => child.kill());
  const lines: string[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  while (!stderr.includes('tailing ')) {
    if (child.exitCode !== null) throw new Error(`tail exited: ${stderr}`);
    await once(child.stderr, 'data');
  }
  return { child, lines, stderr: () => stderr };
}

async function waitForLines(lines: string[], count: number): Promise<void> {
  while (lines.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('herald tail --filter \'level>=warning\' --json prints raised warnings and nothing else', async (t) => {
  const d = await startTestDaemon(t);
  const tail = await startTail(t, d, ['--filter', 'level>=warning', '--json']);
  // The info is raised first: had it passed the filter, it would arrive before the warnings.
  await d.result('raise_event', INFO);
  await d.result('raise_event', warning('dns'));
  await d.result('raise_event', INFO);
  await d.result('raise_event', warning('tcp'));
  await waitForLines(tail.lines, 2);
  const records = tail.lines.map((line) => JSON.parse(line) as { type: string; level: string; params: { source: string } });
  assert.deepEqual(records.map((r) => [r.type, r.level, r.params.source]), [
    ['E_CORE_THRESHOLD', 'warning', 'dns'], ['E_CORE_THRESHOLD', 'warning', 'tcp'],
  ]);
});

test('herald tail prints one plain line per event for people when stdout is not a terminal', async (t) => {
  const d = await startTestDaemon(t);
  const tail = await startTail(t, d, []);
  await d.result('raise_event', warning('dns'));
  await waitForLines(tail.lines, 1);
  assert.match(tail.lines[0], /^\d\d:\d\d:\d\d\.\d{3}  WARNING   E_CORE_THRESHOLD  dns took 250000 µs: example\.org  source=dns time=250000 extra=example\.org$/);
  assert.doesNotMatch(tail.lines[0], /\u001b\[/, 'no colour codes outside a terminal');
});

test('herald tail with a bad filter exits 1 with the syntax error', async (t) => {
  const d = await startTestDaemon(t);
  const run = await runCli(['tail', '--filter', 'level>='], d.cliEnv);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Filter syntax error at position/);
});

test('human lines are coloured by level only when asked (a terminal without NO_COLOR)', async () => {
  const { formatEventLine, wantsColour } = await import('../../src/cli/event-line.js');
  const record = { time: '2026-11-22T05:21:46.315+00:00', level: 'error', type: 'E_X', summary: 's', params: { a: 'two words' } };
  assert.match(formatEventLine(record, true), /^\u001b\[31m.*E_X  s  a="two words"\u001b\[0m$/);
  assert.doesNotMatch(formatEventLine(record, false), /\u001b/);
  assert.equal(wantsColour({ isTTY: true } as NodeJS.WriteStream, {}), true);
  assert.equal(wantsColour({ isTTY: true } as NodeJS.WriteStream, { NO_COLOR: '1' }), false);
  assert.equal(wantsColour({ isTTY: false } as NodeJS.WriteStream, {}), false);
});
